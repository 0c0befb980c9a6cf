/**
 Splits a byte stream into newline-terminated lines with no length limit.

 Chunks without a newline are kept as a list and joined once, when the line
 ends, so an 8 MiB line costs one copy rather than a rescan per chunk (the
 SDK's ReadBuffer rescans from the start and caps lines at 10 MiB).
 */
export class LineSplitter {
	readonly #onLine: (line: string) => void;
	readonly #maxLineBytes: number;
	#parts: Buffer[] = [];
	#pendingBytes = 0;

	/**
	`maxLineBytes` (default: none) cuts runaway lines, for stderr where no line must grow unbounded.
	*/
	constructor(onLine: (line: string) => void, maxLineBytes = Infinity) {
		this.#onLine = onLine;
		this.#maxLineBytes = maxLineBytes;
	}

	push(chunk: Buffer): void {
		let start = 0;
		let newline = chunk.indexOf(10);
		while (newline !== -1) {
			let line: string;
			if (this.#parts.length === 0) {
				line = chunk.toString('utf8', start, newline);
			} else {
				this.#parts.push(chunk.subarray(start, newline));
				line = Buffer.concat(this.#parts).toString('utf8');
				this.#parts = [];
				this.#pendingBytes = 0;
			}

			this.#emit(line);
			start = newline + 1;
			newline = chunk.indexOf(10, start);
		}

		if (start >= chunk.length) {
			return;
		}

		const rest = start === 0 ? chunk : chunk.subarray(start);
		this.#parts.push(rest);
		this.#pendingBytes += rest.length;
		if (this.#pendingBytes >= this.#maxLineBytes) {
			this.flush();
		}
	}

	/**
	Emits what is left without a newline (end of stream, or a runaway line).
	*/
	flush(): void {
		if (this.#parts.length === 0) {
			return;
		}

		const line = Buffer.concat(this.#parts).toString('utf8');
		this.#parts = [];
		this.#pendingBytes = 0;
		this.#emit(line);
	}

	#emit(line: string): void {
		// CRLF writers exist (Windows-minded servers); the \r is never part of a message.
		if (line.charCodeAt(line.length - 1) === 13) {
			line = line.slice(0, -1);
		}

		if (line.length > 0) {
			this.#onLine(line);
		}
	}
}
