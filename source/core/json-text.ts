/**
 Reading JSON text without re-serialising it. V8's JSON.parse takes any
 nesting, but JSON.stringify recurses and runs out of stack at a few
 thousand levels, so a message that parsed fine may be impossible to write
 back out: whatever only needs to pass a message on works on its text.
 Every function here expects text that JSON.parse has already accepted.
 */

const QUOTE = 0x22;
const BACKSLASH = 0x5C;
const COMMA = 0x2C;
const OPEN_ARRAY = 0x5B;
const CLOSE_ARRAY = 0x5D;
const OPEN_OBJECT = 0x7B;
const CLOSE_OBJECT = 0x7D;

/**
The index just past the string whose opening quote is at `start`.
*/
function skipString(text: string, start: number): number {
	let index = start;
	for (;;) {
		index = text.indexOf('"', index + 1);
		if (index === -1) {
			return text.length;
		}

		// A quote ends the string unless an odd run of backslashes escapes it.
		let backslashes = 0;
		while (text.charCodeAt(index - 1 - backslashes) === BACKSLASH) {
			backslashes++;
		}

		if (backslashes % 2 === 0) {
			return index + 1;
		}
	}
}

/**
 Calls `visit` at each bracket, brace and comma outside strings, from `from`
 on, with the nesting depth after it; stops when `visit` returns true.
 */
function scanStructure(text: string, from: number, visit: (code: number, index: number, depth: number) => boolean): void {
	let depth = 0;
	for (let index = from; index < text.length; index++) {
		const code = text.charCodeAt(index);
		if (code === QUOTE) {
			index = skipString(text, index) - 1;
			continue;
		}

		if (code === OPEN_ARRAY || code === OPEN_OBJECT) {
			depth++;
		} else if (code === CLOSE_ARRAY || code === CLOSE_OBJECT) {
			depth--;
		} else if (code !== COMMA) {
			continue;
		}

		if (visit(code, index, depth)) {
			return;
		}
	}
}

/**
The text of each element of a JSON array, trimmed, in order.
*/
export function arrayElements(text: string): string[] {
	const elements: string[] = [];
	const open = text.indexOf('[');
	let start = open + 1;
	scanStructure(text, open, (code, index, depth) => {
		if (depth === 0) {
			const last = text.slice(start, index).trim();
			if (last !== '') {
				elements.push(last);
			}

			return true;
		}

		if (code === COMMA && depth === 1) {
			elements.push(text.slice(start, index).trim());
			start = index + 1;
		}

		return false;
	});
	return elements;
}

/**
How deeply arrays and objects nest in the text: 0 for a scalar, 1 for `{}` or `[1, 2]`.
*/
export function nestingDepth(text: string): number {
	let deepest = 0;
	scanStructure(text, 0, (_code, _index, depth) => {
		deepest = Math.max(deepest, depth);
		return false;
	});
	return deepest;
}
