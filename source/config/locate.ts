/**
 * Finds the line where a key is defined, so schema errors (which only know key
 * paths) can point into the file. smol-toml keeps no positions, hence this
 * scanner. It is not a validator: it runs on text that already parsed, and on
 * anything odd it skips to the next line rather than fail.
 */

type KeyPath = readonly string[];

/** 1-based line of `path`; else of its nearest enclosing table or key; else 1. */
export function locateKey(text: string, path: KeyPath): number {
	return createLocator(text)(path);
}

/** Scans once, for callers that locate many keys in the same text. */
export function createLocator(text: string): (path: KeyPath) => number {
	const {explicit, implicit} = new Scanner(text).scan();
	return path => {
		for (let length = path.length; length > 0; length--) {
			const id = keyId(path.slice(0, length));
			// A table's own header beats a line that merely implies it (`[a.b.c]` before `[a.b]`).
			const line = explicit.get(id) ?? implicit.get(id);
			if (line !== undefined) return line;
		}

		return 1;
	};
}

const keyId = (path: KeyPath) => path.join('\u0000');

const bareKeyChar = /[A-Za-z0-9_-]/;
const scalarEnd = new Set([',', ']', '}', '#', '\n', '\r']);

const escapes: Record<string, string> = {b: '\b', t: '\t', n: '\n', f: '\f', r: '\r', e: '\u001B', '"': '"', '\\': '\\'};

class Scanner {
	private pos = 0;
	private readonly lineStarts: number[] = [0];
	private readonly explicit = new Map<string, number>();
	private readonly implicit = new Map<string, number>();

	constructor(private readonly text: string) {
		for (let i = 0; i < text.length; i++) if (text[i] === '\n') this.lineStarts.push(i + 1);
	}

	scan() {
		let table: string[] = [];
		while (this.skipTrivia()) {
			const line = this.line();
			if (this.char() === '[') {
				this.pos += this.text.startsWith('[[', this.pos) ? 2 : 1;
				table = this.readKey() ?? [];
				this.define(table, line);
			} else {
				const key = this.readKey();
				if (key) {
					const path = [...table, ...key];
					this.define(path, line);
					this.skipSpace();
					if (this.char() === '=') {
						this.pos++;
						this.skipSpace();
						this.skipValue(path);
					}
				}
			}

			this.skipToLineEnd();
		}

		return {explicit: this.explicit, implicit: this.implicit};
	}

	private define(path: KeyPath, line: number) {
		if (path.length === 0) return;
		if (!this.explicit.has(keyId(path))) this.explicit.set(keyId(path), line);
		for (let length = 1; length < path.length; length++) {
			const id = keyId(path.slice(0, length));
			if (!this.implicit.has(id)) this.implicit.set(id, line);
		}
	}

	/** Skips a value, recording the keys of inline tables; arrays and strings may span lines. */
	private skipValue(path: KeyPath) {
		const char = this.char();
		if (this.text.startsWith('"""', this.pos)) this.skipMultilineString('"""', true);
		else if (this.text.startsWith("'''", this.pos)) this.skipMultilineString("'''", false);
		else if (char === '"') this.readBasicString();
		else if (char === "'") this.readLiteralString();
		else if (char === '[') this.skipArray(path);
		else if (char === '{') this.skipInlineTable(path);
		else while (!this.atEnd() && !scalarEnd.has(this.char())) this.pos++;
	}

	private skipArray(path: KeyPath) {
		this.pos++;
		while (this.skipTrivia()) {
			const char = this.char();
			if (char === ']') {
				this.pos++;
				return;
			}

			const before = this.pos;
			if (char === ',') this.pos++;
			else this.skipValue(path);
			if (this.pos === before) this.pos++;
		}
	}

	private skipInlineTable(path: KeyPath) {
		this.pos++;
		while (this.skipTrivia()) {
			const char = this.char();
			if (char === '}') {
				this.pos++;
				return;
			}

			if (char === ',') {
				this.pos++;
				continue;
			}

			const line = this.line();
			const key = this.readKey();
			if (!key) {
				this.pos++;
				continue;
			}

			const inner = [...path, ...key];
			this.define(inner, line);
			this.skipSpace();
			if (this.char() === '=') {
				this.pos++;
				this.skipSpace();
				this.skipValue(inner);
			}
		}
	}

	/** A dotted key: bare, "basic" or 'literal' parts. */
	private readKey(): string[] | undefined {
		const parts: string[] = [];
		for (;;) {
			this.skipSpace();
			const char = this.char();
			let part: string | undefined;
			if (char === '"') part = this.readBasicString();
			else if (char === "'") part = this.readLiteralString();
			else {
				const start = this.pos;
				while (!this.atEnd() && bareKeyChar.test(this.char())) this.pos++;
				if (this.pos > start) part = this.text.slice(start, this.pos);
			}

			if (part === undefined) break;
			parts.push(part);
			this.skipSpace();
			if (this.char() !== '.') break;
			this.pos++;
		}

		return parts.length > 0 ? parts : undefined;
	}

	private readBasicString(): string {
		this.pos++;
		let value = '';
		while (!this.atEnd()) {
			const char = this.char();
			if (char === '"' || char === '\n') break;
			if (char === '\\') {
				value += this.readEscape();
				continue;
			}

			value += char;
			this.pos++;
		}

		if (this.char() === '"') this.pos++;
		return value;
	}

	/** At a backslash: decodes the escape so quoted keys compare equal to the parsed ones. */
	private readEscape(): string {
		const kind = this.text[this.pos + 1] ?? '';
		const digits = kind === 'u' ? 4 : kind === 'U' ? 8 : kind === 'x' ? 2 : 0;
		if (digits > 0) {
			const hex = this.text.slice(this.pos + 2, this.pos + 2 + digits);
			this.pos += 2 + digits;
			const code = Number.parseInt(hex, 16);
			return Number.isInteger(code) && code <= 0x10_FF_FF ? String.fromCodePoint(code) : '';
		}

		this.pos += 2;
		return escapes[kind] ?? kind;
	}

	private readLiteralString(): string {
		const start = this.pos + 1;
		let end = start;
		while (end < this.text.length && this.text[end] !== "'" && this.text[end] !== '\n') end++;
		this.pos = end < this.text.length && this.text[end] === "'" ? end + 1 : end;
		return this.text.slice(start, end);
	}

	private skipMultilineString(delimiter: string, hasEscapes: boolean) {
		this.pos += 3;
		while (!this.atEnd()) {
			if (hasEscapes && this.char() === '\\') {
				this.pos += 2;
				continue;
			}

			if (this.text.startsWith(delimiter, this.pos)) {
				// Up to two quotes right before the closing delimiter belong to the content.
				let quotes = 0;
				while (quotes < 5 && this.text[this.pos] === delimiter[0]) {
					this.pos++;
					quotes++;
				}

				return;
			}

			this.pos++;
		}
	}

	/** Skips spaces, newlines and comments; false at the end of the text. */
	private skipTrivia(): boolean {
		while (!this.atEnd()) {
			const char = this.char();
			if (char === '#') this.skipToLineEnd();
			else if (char === ' ' || char === '\t' || char === '\r' || char === '\n') this.pos++;
			else return true;
		}

		return false;
	}

	private skipSpace() {
		while (this.char() === ' ' || this.char() === '\t') this.pos++;
	}

	private skipToLineEnd() {
		while (!this.atEnd() && this.char() !== '\n') this.pos++;
	}

	private char(): string {
		return this.text[this.pos] ?? '';
	}

	private atEnd(): boolean {
		return this.pos >= this.text.length;
	}

	/** 1-based line of the current position. */
	private line(): number {
		let low = 0;
		let high = this.lineStarts.length - 1;
		while (low < high) {
			const middle = (low + high + 1) >> 1;
			if (this.lineStarts[middle] <= this.pos) low = middle;
			else high = middle - 1;
		}

		return low + 1;
	}
}
