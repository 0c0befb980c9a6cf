/**
 * Reading JSON text without re-serialising it. V8's JSON.parse takes any
 * nesting, but JSON.stringify recurses and runs out of stack at a few
 * thousand levels, so a message that parsed fine may be impossible to write
 * back out: whatever only needs to pass a message on works on its text.
 * Every function here expects text that JSON.parse has already accepted.
 */

const QUOTE = 0x22;
const BACKSLASH = 0x5C;
const COMMA = 0x2C;
const OPEN_ARRAY = 0x5B;
const CLOSE_ARRAY = 0x5D;
const OPEN_OBJECT = 0x7B;
const CLOSE_OBJECT = 0x7D;

/** The index just past the string whose opening quote is at `start`. */
function skipString(text: string, start: number): number {
	let index = start;
	for (;;) {
		index = text.indexOf('"', index + 1);
		if (index === -1) return text.length;
		// A quote ends the string unless an odd run of backslashes escapes it.
		let backslashes = 0;
		while (text.charCodeAt(index - 1 - backslashes) === BACKSLASH) backslashes++;
		if (backslashes % 2 === 0) return index + 1;
	}
}

/** The text of each element of a JSON array, trimmed, in order. */
export function arrayElements(text: string): string[] {
	const elements: string[] = [];
	const open = text.indexOf('[');
	let depth = 0;
	let start = open + 1;
	for (let index = open; index < text.length;) {
		const code = text.charCodeAt(index);
		if (code === QUOTE) {
			index = skipString(text, index);
			continue;
		}

		if (code === OPEN_ARRAY || code === OPEN_OBJECT) {
			depth++;
		} else if (code === CLOSE_ARRAY || code === CLOSE_OBJECT) {
			depth--;
			if (depth === 0) {
				const last = text.slice(start, index).trim();
				if (last !== '') elements.push(last);
				break;
			}
		} else if (code === COMMA && depth === 1) {
			elements.push(text.slice(start, index).trim());
			start = index + 1;
		}

		index++;
	}

	return elements;
}

/** How deeply arrays and objects nest in the text: 0 for a scalar, 1 for `{}` or `[1, 2]`. */
export function nestingDepth(text: string): number {
	let depth = 0;
	let deepest = 0;
	for (let index = 0; index < text.length;) {
		const code = text.charCodeAt(index);
		if (code === QUOTE) {
			index = skipString(text, index);
			continue;
		}

		if (code === OPEN_ARRAY || code === OPEN_OBJECT) {
			depth++;
			if (depth > deepest) deepest = depth;
		} else if (code === CLOSE_ARRAY || code === CLOSE_OBJECT) {
			depth--;
		}

		index++;
	}

	return deepest;
}
