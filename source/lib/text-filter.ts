/**
Where a pattern matched in a line: `[start, end)` in UTF-16 units, in order, not overlapping.
*/
export type Range = readonly [number, number];

export type Search = {
	/**
	Whether a line is kept.
	*/
	test(text: string): boolean;
	/**
	What to highlight in a kept line; none for an inverted filter, where nothing matched.
	*/
	ranges(text: string): Range[];
	/**
	The `~` pattern is not a valid regular expression: it is searched for as plain text.
	*/
	readonly invalid: boolean;
};

const everything: Search = {test: () => true, ranges: () => [], invalid: false};

/**
The search of an empty pattern: keeps every line, so a caller may skip asking.
*/
export const keepsEverything = (search: Search): boolean => search === everything;

function escape(text: string): string {
	return text.replaceAll(/[$()*+.?[\\\]^{|}]/g, String.raw`\$&`);
}

/**
 The `/` filter: case-insensitive; a leading `!` inverts; then a leading `~`
 makes the rest a regular expression (`~time(d )?out`, `!~^debug`). A regex
 that does not compile, as it often does while still being typed, is taken
 as plain text. An empty pattern (or a lone `!` or `~`) matches everything,
 so typing never blanks a pane.
 */
export function compileSearch(pattern: string): Search {
	const invert = pattern.startsWith('!');
	let body = invert ? pattern.slice(1) : pattern;
	const regex = body.startsWith('~');
	if (regex) {
		body = body.slice(1);
	}

	if (body === '') {
		return everything;
	}

	let source = escape(body);
	let invalid = false;
	if (regex) {
		try {
			source = new RegExp(body, 'iu').source;
		} catch {
			invalid = true;
		}
	}

	const once = new RegExp(source, 'iu');
	const all = new RegExp(source, 'giu');
	return {
		invalid,
		test: text => once.test(text) !== invert,
		ranges(text) {
			if (invert) {
				return [];
			}

			const out: Range[] = [];
			all.lastIndex = 0;
			for (const m of text.matchAll(all)) {
				// An empty match (`~x*`) highlights nothing; matchAll steps past it.
				if (m[0].length > 0) {
					out.push([m.index, m.index + m[0].length]);
				}
			}

			return out;
		},
	};
}

/**
Just the keep-or-drop test of `compileSearch`.
*/
export function compileFilter(pattern: string): (text: string) => boolean {
	return compileSearch(pattern).test;
}
