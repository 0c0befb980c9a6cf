import {BUCKET_COUNT, bucketIndex, quantiles} from './histogram.js';
import type {HistogramPool} from './pool.js';

/**
 Values a slot keeps as bucket indices before it borrows a full histogram.
 Most keys (a session, a rare method) see a handful of requests a second,
 and a 960-bucket histogram per such second would dominate memory.
 */
const INLINE = 8;

/**
 A ring of one-second slots over the last `slots` seconds, plus a running
 histogram of everything in them. Expiring a second subtracts it from the
 running one, so reading percentiles costs one histogram scan, not a merge
 of every slot.

 Invariant: slot `s % slots` holds second `s` for every `s` in
 `(head - slots, head]`; slots of older seconds have been emptied.
 */
export class RollingWindow {
	readonly #slots: number;
	readonly #pool: HistogramPool;
	#head = -Infinity;
	#last = -Infinity;
	readonly #count: Uint32Array;
	readonly #errors: Uint32Array;
	readonly #min: Float64Array;
	readonly #max: Float64Array;
	readonly #inline: Uint16Array;
	readonly #dense: Array<Uint32Array | undefined>;
	// Touched bucket range of each dense slot, so expiry skips the empty rest.
	readonly #lo: Uint16Array;
	readonly #hi: Uint16Array;
	readonly #total = new Uint32Array(BUCKET_COUNT);
	#totalCount = 0;
	#totalErrors = 0;

	constructor(slots: number, pool: HistogramPool) {
		this.#slots = slots;
		this.#pool = pool;
		this.#count = new Uint32Array(slots);
		this.#errors = new Uint32Array(slots);
		this.#min = new Float64Array(slots);
		this.#max = new Float64Array(slots);
		this.#inline = new Uint16Array(slots * INLINE);
		this.#dense = Array.from({length: slots}, () => undefined);
		this.#lo = new Uint16Array(slots);
		this.#hi = new Uint16Array(slots);
	}

	/**
	Requests in the window.
	*/
	get count(): number {
		return this.#totalCount;
	}

	get errors(): number {
		return this.#totalErrors;
	}

	/**
	Newest second that received a value; -Infinity if none ever did.
	*/
	get lastSecond(): number {
		return this.#last;
	}

	/**
	 `micros` is the duration in whole µs: a fractional ms would be boxed into
	 a fresh heap number on every call, integers mostly travel as Smis.
	 `bucket` is its `bucketIndex`, computed once by the caller for all windows.
	 */
	add(second: number, micros: number, bucket: number, ok: boolean): void {
		if (second > this.#head) {
			this.advance(second);
		} else if (second <= this.#head - this.#slots) {
			// Older than the window: it would be expired already.
			return;
		}

		const slot = this.#slotOf(second);
		const n = this.#count[slot]++;
		if (n === 0) {
			this.#min[slot] = micros;
			this.#max[slot] = micros;
		} else if (micros < this.#min[slot]) {
			this.#min[slot] = micros;
		} else if (micros > this.#max[slot]) {
			this.#max[slot] = micros;
		}

		if (!ok) {
			this.#errors[slot]++;
			this.#totalErrors++;
		}

		this.#total[bucket]++;
		this.#totalCount++;
		if (second > this.#last) {
			this.#last = second;
		}

		if (n < INLINE) {
			this.#inline[slot * INLINE + n] = bucket;
			return;
		}

		const dense = this.#dense[slot] ?? this.#promote(slot);

		dense[bucket]++;
		if (bucket < this.#lo[slot]) {
			this.#lo[slot] = bucket;
		} else if (bucket > this.#hi[slot]) {
			this.#hi[slot] = bucket;
		}
	}

	/**
	Moves the newest second to `second`, expiring what falls out. Never moves back.
	*/
	advance(second: number): void {
		if (second <= this.#head) {
			return;
		}

		// After a gap as long as the window every slot goes; stepping through
		// the gap second by second would visit each slot more than once.
		const steps = Math.min(second - this.#head, this.#slots);
		for (let s = second - steps + 1; s <= second; s++) {
			this.#expire(this.#slotOf(s));
		}

		this.#head = second;
	}

	/**
	Gives borrowed histograms back; the window is empty afterwards.
	*/
	release(): void {
		for (let slot = 0; slot < this.#slots; slot++) {
			this.#expire(slot);
		}
	}

	/**
	Smallest and largest value in the window in ms, exact to the µs; undefined when empty. Call after `advance(now)`.
	*/
	extremes(): {min: number; max: number} | undefined {
		if (this.#totalCount === 0) {
			return undefined;
		}

		let min = Infinity;
		let max = -Infinity;
		for (let slot = 0; slot < this.#slots; slot++) {
			if (!(this.#count[slot] > 0)) {
				continue;
			}

			min = Math.min(min, this.#min[slot]);
			max = Math.max(max, this.#max[slot]);
		}

		return {min: min / 1000, max: max / 1000};
	}

	/**
	Nearest-rank quantiles in ms; `qs` ascending; empty when the window is. `min` (ms) lets the scan skip empty low buckets.
	*/
	quantiles(qs: readonly number[], min = 0): number[] {
		return quantiles(this.#total, this.#totalCount, qs, bucketIndex(min));
	}

	/**
	 Requests in each of the `seconds` whole seconds before the newest one,
	 oldest first. The newest second is still filling, so it would always
	 read low. Call after `advance(now)`; `seconds` must be below the window.
	 */
	series(seconds: number): number[] {
		const result: number[] = Array.from({length: seconds}, () => 0);
		for (let i = 0; i < seconds; i++) {
			const second = this.#head - seconds + i;
			result[i] = Number.isFinite(second) ? this.#count[this.#slotOf(second)] : 0;
		}

		return result;
	}

	#slotOf(second: number): number {
		const slot = second % this.#slots;
		return slot < 0 ? slot + this.#slots : slot;
	}

	#promote(slot: number): Uint32Array {
		const dense = this.#pool.take();
		let lo = BUCKET_COUNT;
		let hi = 0;
		for (let i = slot * INLINE; i < (slot + 1) * INLINE; i++) {
			const bucket = this.#inline[i];
			dense[bucket]++;
			lo = Math.min(lo, bucket);
			hi = Math.max(hi, bucket);
		}

		this.#lo[slot] = lo;
		this.#hi[slot] = hi;
		this.#dense[slot] = dense;
		return dense;
	}

	#expire(slot: number): void {
		const count = this.#count[slot];
		if (count === 0) {
			return;
		}

		const dense = this.#dense[slot];
		if (dense === undefined) {
			for (let i = slot * INLINE; i < slot * INLINE + count; i++) {
				this.#total[this.#inline[i]]--;
			}
		} else {
			for (let bucket = this.#lo[slot]; bucket <= this.#hi[slot]; bucket++) {
				this.#total[bucket] -= dense[bucket];
				dense[bucket] = 0;
			}

			this.#pool.give(dense);
			this.#dense[slot] = undefined;
		}

		this.#totalCount -= count;
		this.#totalErrors -= this.#errors[slot];
		this.#count[slot] = 0;
		this.#errors[slot] = 0;
	}
}
