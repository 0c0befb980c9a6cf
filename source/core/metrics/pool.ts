import {BUCKET_COUNT} from './histogram.js';

/**
 Spare zeroed histograms shared by every window of a recorder: a busy second
 borrows one and gives it back when it leaves the window, so steady traffic
 allocates nothing and memory follows the busy seconds, not the keys.
 */
export class HistogramPool {
	readonly #spare: Uint32Array[] = [];
	readonly #maxSpare: number;

	constructor(maxSpare = 256) {
		this.#maxSpare = maxSpare;
	}

	take(): Uint32Array {
		return this.#spare.pop() ?? new Uint32Array(BUCKET_COUNT);
	}

	/**
	`histogram` must be all zeros again. Past the cap it is left to the GC, so a burst does not pin memory forever.
	*/
	give(histogram: Uint32Array): void {
		if (this.#spare.length < this.#maxSpare) {
			this.#spare.push(histogram);
		}
	}

	get spare(): number {
		return this.#spare.length;
	}
}
