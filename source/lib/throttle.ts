/**
Time source and timers, injectable so tests need no real waiting.
*/
export type Clock = {
	now(): number;
	setTimeout(fn: () => void, ms: number): unknown;
	clearTimeout(handle: unknown): void;
};

/**
Wall clock whose timers never keep the process alive on their own.
*/
export const systemClock: Clock = {
	now: () => Date.now(),
	setTimeout(fn, ms) {
		return setTimeout(fn, ms).unref();
	},
	clearTimeout(handle) {
		clearTimeout(handle as NodeJS.Timeout);
	},
};

export type Throttle = {
	/**
	Ask for a run: at most one per `intervalMs`, never synchronously, so a burst of callers shares one.
	*/
	schedule(): void;
	cancel(): void;
};

export function createThrottle(fn: () => void, intervalMs: number, clock: Clock = systemClock): Throttle {
	let handle: unknown;
	let lastRun = -Infinity;
	return {
		schedule() {
			if (handle !== undefined) {
				return;
			}

			const wait = Math.max(0, lastRun + intervalMs - clock.now());
			handle = clock.setTimeout(() => {
				handle = undefined;
				lastRun = clock.now();
				fn();
			}, wait);
		},
		cancel() {
			if (handle !== undefined) {
				clock.clearTimeout(handle);
			}

			handle = undefined;
		},
	};
}
