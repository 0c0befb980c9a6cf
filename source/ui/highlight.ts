import type {Range} from '../lib/text-filter.js';

/**
A run of a line, matched by the search or not.
*/
export type Piece = {
	text: string;
	hit: boolean;
};

/**
`text` cut at the search's ranges.
*/
export function pieces(text: string, ranges: readonly Range[]): Piece[] {
	const out: Piece[] = [];
	let at = 0;
	for (const [start, end] of ranges) {
		if (start > at) {
			out.push({text: text.slice(at, start), hit: false});
		}

		out.push({text: text.slice(start, end), hit: true});
		at = end;
	}

	if (at < text.length || out.length === 0) {
		out.push({text: text.slice(at), hit: false});
	}

	return out;
}

/**
Pieces cut into lines of `width` characters for the tail's wrap, keeping what was a hit.
*/
export function chunkPieces(line: readonly Piece[], width: number): Piece[][] {
	const chars = line.flatMap(p => [...p.text].map(ch => ({ch, hit: p.hit})));
	if (width < 1 || chars.length <= width) {
		return [[...line]];
	}

	const out: Piece[][] = [];
	for (let i = 0; i < chars.length; i += width) {
		const chunk: Piece[] = [];
		for (const {ch, hit} of chars.slice(i, i + width)) {
			const last = chunk.at(-1);
			if (last?.hit === hit) {
				last.text += ch;
			} else {
				chunk.push({text: ch, hit});
			}
		}

		out.push(chunk);
	}

	return out;
}
