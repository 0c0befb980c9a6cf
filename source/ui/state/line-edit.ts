/**
A one-line text with a cursor (an index into its code points).
*/
export type Line = {
	value: string;
	cursor: number;
};

export type LineEdit =
	| {type: 'text.insert'; text: string}
	| {type: 'text.backspace'}
	| {type: 'text.delete'}
	| {type: 'text.move'; to: 'left' | 'right' | 'home' | 'end'}
	| {type: 'text.clear'};

/**
 Pure line editing. It lives in the reducer, not in an input component's own
 state, so two keys arriving in one tick both land (ink-text-input reads its
 value from props and loses the first).
 */
export function editLine(line: Line, edit: LineEdit): Line {
	const chars = [...line.value];
	const cursor = Math.max(0, Math.min(line.cursor, chars.length));
	switch (edit.type) {
		case 'text.insert': {
			// Pasted line breaks would make a multi-line "line".
			const text = [...edit.text.replaceAll(/[\n\r]+/g, ' ')];
			chars.splice(cursor, 0, ...text);
			return {value: chars.join(''), cursor: cursor + text.length};
		}

		case 'text.backspace': {
			if (cursor === 0) {
				return {value: line.value, cursor};
			}

			chars.splice(cursor - 1, 1);
			return {value: chars.join(''), cursor: cursor - 1};
		}

		case 'text.delete': {
			chars.splice(cursor, 1);
			return {value: chars.join(''), cursor};
		}

		case 'text.move': {
			const to = {
				left: cursor - 1, right: cursor + 1, home: 0, end: chars.length,
			}[edit.to];
			return {value: line.value, cursor: Math.max(0, Math.min(chars.length, to))};
		}

		case 'text.clear': {
			return {value: '', cursor: 0};
		}
	}
}

/**
Cursor at the end: for text set whole, e.g. from history.
*/
export const lineOf = (value: string): Line => ({value, cursor: [...value].length});
