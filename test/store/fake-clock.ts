import type {Clock} from '../../source/lib/throttle.js';

/**
Manual time: timers fire only inside `advance`, in due order.
*/
export class FakeClock implements Clock {
	time = 1_000_000;
	#timers: Array<{at: number; fn: () => void; id: number}> = [];
	#next = 0;

	now = (): number => this.time;

	setTimeout = (fn: () => void, ms: number): unknown => {
		const timer = {at: this.time + ms, fn, id: this.#next++};
		this.#timers.push(timer);
		return timer;
	};

	clearTimeout = (handle: unknown): void => {
		this.#timers = this.#timers.filter(t => t !== handle);
	};

	get pending(): number {
		return this.#timers.length;
	}

	advance(ms: number): void {
		const end = this.time + ms;
		for (;;) {
			const due = this.#timers.filter(t => t.at <= end).sort((a, b) => a.at - b.at || a.id - b.id)[0];
			if (!due) {
				break;
			}

			this.#timers = this.#timers.filter(t => t !== due);
			this.time = Math.max(this.time, due.at);
			due.fn();
		}

		this.time = end;
	}
}
