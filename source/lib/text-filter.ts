/**
 The `/` filter: case-insensitive substring, a leading `!` inverts. An empty
 pattern (or a lone `!`) matches everything, so typing never blanks a pane.
 */
export function compileFilter(pattern: string): (text: string) => boolean {
	const invert = pattern.startsWith('!');
	const needle = (invert ? pattern.slice(1) : pattern).toLowerCase();
	return needle === '' ? () => true : text => text.toLowerCase().includes(needle) !== invert;
}
