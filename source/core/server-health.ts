import type {CloseReason, Era, StartFailure} from './events.js';

/**
A child that crashes this soon after it started has failed to start, even if it answered `initialize`.
*/
export const EARLY_CRASH_MS = 10_000;
/**
The back-off's first step (or `backoff_max`, if shorter); each failed start in a row doubles it.
*/
export const BACKOFF_BASE_MS = 1000;
/**
Whoever waits to start a child looks again at least this often.
*/
const RECHECK_MS = 1000;

export type HealthLimits = {
	crashLimit: number;
	crashWindowMs: number;
	backoffMaxMs: number;
};

/**
How a child ended, as far as judging its start goes.
*/
export type ChildEnd = {
	reason: CloseReason;
	era: Era;
	startedAt: number;
	liveAt: number | undefined;
};

/**
 Whether a child's end counts against its server: it could not be spawned,
 it exited or timed out before answering `initialize`, or it crashed within
 `EARLY_CRASH_MS`. A legacy child that refused its client's `initialize` does
 not count: the client's parameters may be what it refused.
 */
export function failedStart(end: ChildEnd, now: number): boolean {
	switch (end.reason) {
		case 'spawn-failed':
		case 'start-timeout': {
			return true;
		}

		case 'init-failed': {
			return end.era === 'modern';
		}

		case 'exit': {
			return end.liveAt === undefined;
		}

		case 'crash': {
			return end.liveAt === undefined || now - end.startedAt < EARLY_CRASH_MS;
		}

		case 'delete':
		case 'idle':
		case 'killed':
		case 'max-age':
		case 'restart':
		case 'shutdown': {
			return false;
		}
	}
}

/**
 One server's record of failed starts, and what it allows because of them.

 A fresh server starts up to `crash_limit` children at once until one answers
 `initialize`, then any number. After a failed start it is on trial: one child
 starts at a time and, from the second failure in a row, only after a delay
 that doubles each time (1 s, 2 s, 4 s… up to `backoff_max`). `crash_limit`
 failures within `crash_window` quarantine it for the current back-off; in the
 `crash_window` after a quarantine, one more failure quarantines it again.
 A child that runs `EARLY_CRASH_MS`, or ends cleanly after starting, ends the
 trial. So however hard clients retry, a failing command is spawned at most
 `crash_limit` times at first and then once per back-off step.

 No timers: every answer is computed from `now`.
 */
export class ServerHealth {
	readonly #limits: HealthLimits;
	/**
	Times of failed starts, pruned to the window.
	*/
	#failures: number[] = [];
	/**
	Failed starts in a row; failures of children started together count once.
	*/
	#streak = 0;
	#lastFailureAt = -Infinity;
	/**
	A child has answered `initialize` since the last failure: no limit on starts.
	*/
	#proven = false;
	#quarantinedUntil = 0;
	#probationUntil = 0;
	#last: StartFailure | undefined;
	/**
	Children spawned that have not answered `initialize` yet.
	*/
	readonly #starting = new Set<string>();
	readonly #waiters = new Set<() => void>();

	constructor(limits: HealthLimits) {
		this.#limits = limits;
	}

	/**
	The back-off after `step` failed starts in a row.
	*/
	backoff(step: number): number {
		const base = Math.min(BACKOFF_BASE_MS, this.#limits.backoffMaxMs);
		return Math.min(this.#limits.backoffMaxMs, base * (2 ** Math.max(0, Math.min(step - 1, 30))));
	}

	/**
	While quarantined, when it ends.
	*/
	retryAt(now: number): number | undefined {
		return now < this.#quarantinedUntil ? this.#quarantinedUntil : undefined;
	}

	/**
	Undefined when a child may start now; else how long to wait, at most, before asking again.
	*/
	startWait(now: number): number | undefined {
		if (this.#proven) {
			return undefined;
		}

		const allowed = this.#streak > 0 ? 1 : (this.#limits.crashLimit > 0 ? this.#limits.crashLimit : Infinity);
		if (this.#starting.size >= allowed) {
			return RECHECK_MS;
		}

		if (this.#streak >= 2) {
			const at = this.#lastFailureAt + this.backoff(this.#streak - 1);
			if (at > now) {
				return at - now;
			}
		}

		return undefined;
	}

	/**
	Since a failed start, until a child proves itself: children start one at a time.
	*/
	get onTrial(): boolean {
		return this.#streak > 0;
	}

	spawned(id: string): void {
		this.#starting.add(id);
	}

	/**
	The child answered `initialize`.
	*/
	live(id: string): void {
		this.#starting.delete(id);
		if (this.#streak === 0) {
			this.#proven = true;
		}

		this.#notify();
	}

	/**
	A child ran past `EARLY_CRASH_MS`, or ended cleanly after starting: the trial is over.
	*/
	succeeded(): void {
		if (this.#proven && this.#streak === 0 && this.#probationUntil === 0) {
			return;
		}

		this.#streak = 0;
		this.#proven = true;
		this.#probationUntil = 0;
		this.#notify();
	}

	ended(id: string): void {
		if (this.#starting.delete(id)) {
			this.#notify();
		}
	}

	/**
	Records a failed start; true when it has just quarantined the server.
	*/
	failed(failure: StartFailure, startedAt: number, now: number): boolean {
		const {crashLimit, crashWindowMs} = this.#limits;
		this.#last = failure;
		this.#failures = this.#failures.filter(at => at > now - crashWindowMs);
		this.#failures.push(now);
		// Children started before the previous failure were one attempt with it.
		if (startedAt >= this.#lastFailureAt) {
			this.#streak++;
		}

		this.#lastFailureAt = now;
		this.#proven = false;
		let quarantined = false;
		if (crashLimit > 0 && now >= this.#quarantinedUntil && (this.#failures.length >= crashLimit || now < this.#probationUntil)) {
			this.#quarantinedUntil = now + this.backoff(this.#streak);
			this.#probationUntil = this.#quarantinedUntil + crashWindowMs;
			quarantined = true;
		}

		this.#notify();
		return quarantined;
	}

	/**
	A fresh start (the dashboard's restart, a config reload): no record, no quarantine.
	*/
	lift(): void {
		this.#failures = [];
		this.#streak = 0;
		this.#lastFailureAt = -Infinity;
		this.#proven = false;
		this.#quarantinedUntil = 0;
		this.#probationUntil = 0;
		this.#last = undefined;
		this.#notify();
	}

	snapshot(now: number): {failures: number; retryAt: number | undefined; lastFailure: StartFailure | undefined} {
		const since = now - this.#limits.crashWindowMs;
		return {failures: this.#failures.filter(at => at > since).length, retryAt: this.retryAt(now), lastFailure: this.#last};
	}

	/**
	Resolves when anything here changes, or after `ms` (capped); rejects when `signal` aborts.
	*/
	async changed(ms: number, signal?: AbortSignal): Promise<void> {
		signal?.throwIfAborted();
		return new Promise((resolve, reject) => {
			const cleanup = () => {
				clearTimeout(timer);
				this.#waiters.delete(wake);
				signal?.removeEventListener('abort', abort);
			};

			const wake = () => {
				cleanup();
				resolve();
			};

			const abort = () => {
				cleanup();
				reject(signal!.reason as Error);
			};

			const timer = setTimeout(wake, Math.max(1, Math.min(ms, RECHECK_MS)));
			timer.unref();
			this.#waiters.add(wake);
			signal?.addEventListener('abort', abort, {once: true});
		});
	}

	#notify(): void {
		for (const waiter of this.#waiters) {
			waiter();
		}
	}
}
