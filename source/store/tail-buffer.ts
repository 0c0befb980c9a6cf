import {toPlainLine} from '../lib/plain-text.js';
import {RingBuffer} from '../lib/ring-buffer.js';
import type {TailLine, TailView} from './types.js';

/**
One session's stderr: a ring plus a cached immutable view rebuilt only after a push.
*/
export class TailBuffer {
	readonly #ring: RingBuffer<TailLine>;
	#total = 0;
	#view: TailView | undefined;

	constructor(limit: number) {
		this.#ring = new RingBuffer(limit);
	}

	/**
	Stored as plain text: the dashboard draws it as is.
	*/
	push(time: number, line: string): void {
		this.#ring.push({seq: this.#total++, time, line: toPlainLine(line)});
		this.#view = undefined;
	}

	view(): TailView {
		this.#view ??= {lines: this.#ring.toArray(), total: this.#total};
		return this.#view;
	}
}
