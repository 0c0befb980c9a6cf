import {RingBuffer} from '../../lib/ring-buffer.js';
import type {StderrLine} from '../port.js';

/**
 The last lines of a child's stderr, bounded in bytes and in count, so a
 chatty child costs a fixed amount of memory however long it runs.
 */
export class StderrRing {
	readonly #maxBytes: number;
	readonly #lines: RingBuffer<StderrLine>;
	#bytes = 0;

	constructor(maxBytes = 256 * 1024, maxLines = 2000) {
		this.#maxBytes = maxBytes;
		this.#lines = new RingBuffer(maxLines);
	}

	push(entry: StderrLine): void {
		this.#bytes += entry.line.length;
		const dropped = this.#lines.push(entry);
		if (dropped) {
			this.#bytes -= dropped.line.length;
		}

		// The newest line stays even when it alone is over the byte bound.
		while (this.#bytes > this.#maxBytes && this.#lines.size > 1) {
			this.#bytes -= this.#lines.shift()!.line.length;
		}
	}

	/**
	Oldest first.
	*/
	lines(): StderrLine[] {
		return this.#lines.toArray();
	}

	tail(count: number): string[] {
		return count <= 0 ? [] : this.#lines.toArray().slice(-count).map(entry => entry.line);
	}
}
