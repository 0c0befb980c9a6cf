/**
 Finds the line where a key is defined, so schema errors (which only know key
 paths) can point into the file. smol-toml keeps no positions, so the text is
 parsed a second time by toml-eslint-parser, which does.
 */
import {parseTOML, type AST} from 'toml-eslint-parser';

type KeyPath = readonly string[];

/**
Scans once; the locator gives the 1-based line of `path`, else of its nearest enclosing table or key, else 1.
*/
export function createLocator(text: string): (path: KeyPath) => number {
	const lines = keyLines(text);
	return path => {
		for (let {length} = path; length > 0; length--) {
			const id = keyId(path.slice(0, length));
			// A table's own header beats a line that merely implies it (`[a.b.c]` before `[a.b]`).
			const line = lines.explicit.get(id) ?? lines.implicit.get(id);
			if (line !== undefined) {
				return line;
			}
		}

		return 1;
	};
}

const keyId = (path: KeyPath) => path.join('\u{0}');

type KeyLines = {explicit: Map<string, number>; implicit: Map<string, number>};

function keyLines(text: string): KeyLines {
	const lines: KeyLines = {explicit: new Map(), implicit: new Map()};
	let program: AST.TOMLProgram;
	try {
		// The text already parsed with smol-toml, which reads TOML 1.1 (multi-line inline tables, `\e`).
		program = parseTOML(text, {tomlVersion: '1.1'});
	} catch {
		return lines;
	}

	for (const node of program.body[0].body) {
		if (node.type === 'TOMLTable') {
			const path = node.resolvedKey.map(String);
			define(lines, path, node.loc.start.line);
			for (const pair of node.body) {
				definePair(lines, path, pair);
			}
		} else {
			definePair(lines, [], node);
		}
	}

	return lines;
}

/**
A key = value line, and the keys of an inline table in its value.
*/
function definePair(lines: KeyLines, table: KeyPath, pair: AST.TOMLKeyValue): void {
	const path = [...table, ...pair.key.keys.map(key => key.type === 'TOMLBare' ? key.name : key.value)];
	define(lines, path, pair.key.loc.start.line);
	if (pair.value.type === 'TOMLInlineTable') {
		for (const inner of pair.value.body) {
			definePair(lines, path, inner);
		}
	}
}

function define(lines: KeyLines, path: KeyPath, line: number): void {
	if (path.length === 0) {
		return;
	}

	if (!lines.explicit.has(keyId(path))) {
		lines.explicit.set(keyId(path), line);
	}

	for (let length = 1; length < path.length; length++) {
		const id = keyId(path.slice(0, length));
		if (!lines.implicit.has(id)) {
			lines.implicit.set(id, line);
		}
	}
}
