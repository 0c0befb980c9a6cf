import type {CloseReason} from '../core/events.js';

/**
Enough to explain a 404 shortly after a crash; the oldest entry goes first.
*/
const MAX_ENTRIES = 256;
const KEEP_MS = 10 * 60_000;

export type EndedSession = {
	reason: CloseReason;
	/**
	The child's last stderr lines: why a crashed server died (a missing API key, a traceback).
	*/
	stderr: string[];
};

/**
 Recently ended sessions, so a client whose session just crashed learns why in
 the 404's `data`, not only that it is gone.
 */
export class EndedSessions {
	readonly #entries = new Map<string, EndedSession & {at: number}>();

	add(id: string, reason: CloseReason, stderr: string[]): void {
		this.#entries.set(id, {reason, stderr, at: Date.now()});
		if (this.#entries.size > MAX_ENTRIES) {
			this.#entries.delete(this.#entries.keys().next().value!);
		}
	}

	get(id: string): EndedSession | undefined {
		const entry = this.#entries.get(id);
		if (!entry) {
			return undefined;
		}

		if (Date.now() - entry.at > KEEP_MS) {
			this.#entries.delete(id);
			return undefined;
		}

		return {reason: entry.reason, stderr: entry.stderr};
	}
}
