import type {ServerConfig} from '../config/types.js';
import type {JsonRpcId} from './jsonrpc.js';

export type PendingRequest = {
	/**
	The id the child sees.
	*/
	readonly id: JsonRpcId;
	readonly method: string;
	readonly startedAt: number;
	/**
	Performance.now() at start: monotonic, sub-millisecond.
	*/
	readonly t0: number;
	readonly progressToken: JsonRpcId | undefined;
	timer: NodeJS.Timeout;
};

/**
 Requests in flight to one child, by the id the child sees, with their
 deadlines: `request_timeout` from the last sign of life (progress resets
 it), never past `request_timeout_max`.
 */
export class PendingTable<Entry extends PendingRequest> {
	readonly #entries = new Map<JsonRpcId, Entry>();
	readonly #byProgressToken = new Map<JsonRpcId, Entry>();
	readonly #server: ServerConfig;
	readonly #onTimeout: (entry: Entry) => void;

	constructor(server: ServerConfig, onTimeout: (entry: Entry) => void) {
		this.#server = server;
		this.#onTimeout = onTimeout;
	}

	get size(): number {
		return this.#entries.size;
	}

	/**
	`entry` arrives without a timer; the table sets one, of `request_timeout` unless told otherwise.
	*/
	add(entry: Omit<Entry, 'timer'>, timeoutMs = this.#server.requestTimeoutMs): Entry {
		const full = entry as Entry;
		full.timer = setTimeout(() => {
			if (this.#entries.get(full.id) === full) {
				this.#onTimeout(full);
			}
		}, timeoutMs);
		full.timer.unref();
		this.#entries.set(full.id, full);
		if (full.progressToken !== undefined) {
			this.#byProgressToken.set(full.progressToken, full);
		}

		return full;
	}

	get(id: JsonRpcId): Entry | undefined {
		return this.#entries.get(id);
	}

	has(id: JsonRpcId): boolean {
		return this.#entries.has(id);
	}

	byProgressToken(token: JsonRpcId): Entry | undefined {
		return this.#byProgressToken.get(token);
	}

	delete(entry: Entry): void {
		clearTimeout(entry.timer);
		if (this.#entries.get(entry.id) === entry) {
			this.#entries.delete(entry.id);
		}

		if (entry.progressToken !== undefined && this.#byProgressToken.get(entry.progressToken) === entry) {
			this.#byProgressToken.delete(entry.progressToken);
		}
	}

	values(): IterableIterator<Entry> {
		return this.#entries.values();
	}

	/**
	The only entry, or undefined when there are none or several.
	*/
	sole(): Entry | undefined {
		return this.#entries.size === 1 ? this.#entries.values().next().value : undefined;
	}

	/**
	Progress extends its request's deadline, up to the server's hard maximum.
	*/
	extend(entry: Entry): void {
		const left = entry.startedAt + this.#server.requestTimeoutMaxMs - Date.now();
		if (left >= this.#server.requestTimeoutMs) {
			entry.timer.refresh();
			return;
		}

		clearTimeout(entry.timer);
		entry.timer = setTimeout(() => {
			if (this.#entries.get(entry.id) === entry) {
				this.#onTimeout(entry);
			}
		}, Math.max(0, left));
		entry.timer.unref();
	}
}
