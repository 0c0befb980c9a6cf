import type {StderrLine} from '../port.js';

/**
 * The last lines of a child's stderr, bounded in bytes and in count, so a
 * chatty child costs a fixed amount of memory however long it runs.
 */
export class StderrRing {
	readonly #maxBytes: number;
	readonly #maxLines: number;
	#lines: StderrLine[] = [];
	#head = 0;
	#bytes = 0;

	constructor(maxBytes = 256 * 1024, maxLines = 2000) {
		this.#maxBytes = maxBytes;
		this.#maxLines = maxLines;
	}

	push(entry: StderrLine): void {
		this.#lines.push(entry);
		this.#bytes += entry.line.length;
		while (this.#lines.length - this.#head > this.#maxLines || (this.#bytes > this.#maxBytes && this.#lines.length - this.#head > 1)) {
			this.#bytes -= this.#lines[this.#head].line.length;
			this.#head++;
		}

		// Compact now and then instead of shifting on every push.
		if (this.#head > 1024 && this.#head * 2 > this.#lines.length) {
			this.#lines = this.#lines.slice(this.#head);
			this.#head = 0;
		}
	}

	/** Oldest first. */
	lines(): StderrLine[] {
		return this.#lines.slice(this.#head);
	}

	tail(count: number): string[] {
		const start = Math.max(this.#head, this.#lines.length - count);
		return this.#lines.slice(start).map(entry => entry.line);
	}
}
