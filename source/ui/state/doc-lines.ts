import {renderMarkdown, type MdStyle} from '../../lib/markdown.js';
import {toPlainLine} from '../../lib/plain-text.js';

/**
 The agent pane's text as styled terminal lines, wrapped here (not by Ink) so
 the pane knows its line count: scrolling and the frame budget depend on it.
 */
export type DocStyle = MdStyle | 'muted' | 'border';

export type Seg = {
	text: string;
	style: DocStyle;
};

export type DocLine = {
	segs: Seg[];
	/**
	Starts each continuation when wrapped, e.g. a code block's `│ `.
	*/
	hang?: Seg[];
};

// As in markdown.ts, which drops fence lines; the pane draws them as a border with the language.
const FENCE = /^\s*(`{3,}|~{3,})\s*([^\s`]*)/;
const CODE_WIDTH = 48;

type Block = {kind: 'text'; lines: string[]} | {kind: 'code'; lang: string; lines: string[]};

function blocks(markdown: string): Block[] {
	const out: Block[] = [];
	let text: string[] = [];
	let code: {fence: string; lang: string; lines: string[]} | undefined;
	for (const raw of markdown.replaceAll('\r\n', '\n').split('\n')) {
		const line = toPlainLine(raw);
		const marker = FENCE.exec(line);
		if (code) {
			if (marker && marker[1].startsWith(code.fence[0]) && marker[1].length >= code.fence.length && marker[2] === '') {
				out.push({kind: 'code', lang: code.lang, lines: code.lines});
				code = undefined;
			} else {
				code.lines.push(line);
			}
		} else if (marker) {
			if (text.length > 0) {
				out.push({kind: 'text', lines: text});
			}

			text = [];
			code = {fence: marker[1], lang: marker[2], lines: []};
		} else {
			text.push(line);
		}
	}

	// An unclosed fence runs to the end, as in markdown.ts.
	if (code) {
		out.push({kind: 'code', lang: code.lang, lines: code.lines});
	}

	if (text.length > 0) {
		out.push({kind: 'text', lines: text});
	}

	return out;
}

const border = (text: string): Seg => ({text, style: 'border'});

function codeBlock(lang: string, lines: string[]): DocLine[] {
	const longest = Math.max(0, ...lines.map(cellWidth));
	const rule = Math.min(CODE_WIDTH, Math.max(12, longest + 2));
	const label = lang === '' ? '' : ` ${lang} `;
	const top: DocLine = {segs: [border(`╭─${label}${'─'.repeat(Math.max(1, rule - 1 - cellWidth(label)))}`)]};
	const bar = border('│ ');
	const body = lines.map(line => ({segs: line === '' ? [border('│')] : [bar, {text: line, style: 'code' as const}], hang: [bar]}));
	return [top, ...body, {segs: [border(`╰${'─'.repeat(rule)}`)]}];
}

/**
 Markdown to doc lines: `renderMarkdown` for prose, a bordered block with its
 language for fenced code. `tone` recolours plain text, so an error reads as
 one while its headings and code keep their shape.
 */
export function markdownDoc(markdown: string, tone?: 'error'): DocLine[] {
	const out: DocLine[] = [];
	for (const block of blocks(markdown)) {
		if (block.kind === 'code') {
			out.push(...codeBlock(block.lang, block.lines));
			continue;
		}

		for (const line of renderMarkdown(block.lines.join('\n'))) {
			const segs = line.map(s => ({text: s.text, style: tone && s.style === 'plain' ? tone : s.style}));
			const lead = /^\s*(?:• |│ )?/.exec(segs[0]?.text ?? '')?.[0] ?? '';
			out.push({segs, hang: lead === '' ? undefined : [{text: ' '.repeat(cellWidth(lead)), style: 'plain'}]});
		}
	}

	return out;
}

/**
Plain lines in one style, e.g. log lines or stderr.
*/
export const plainDoc = (lines: readonly string[], style: DocStyle = 'plain', indent = ''): DocLine[] =>
	lines.map(line => ({segs: [{text: indent + toPlainLine(line), style}], hang: indent ? [{text: indent, style}] : undefined}));

// Emoji shown as pictures and East Asian wide characters take two cells; marks and joiners none.
const WIDE = /[\p{Emoji_Presentation}\u{1100}-\u{115F}\u{2E80}-\u{303E}\u{3041}-\u{33FF}\u{3400}-\u{4DBF}\u{4E00}-\u{9FFF}\u{A000}-\u{A4CF}\u{AC00}-\u{D7A3}\u{F900}-\u{FAFF}\u{FE30}-\u{FE4F}\u{FF00}-\u{FF60}\u{FFE0}-\u{FFE6}\u{20000}-\u{3FFFD}]/u;
const ZERO = /[\p{Enclosing_Mark}\p{Nonspacing_Mark}\u{200B}-\u{200F}]/u;

export function charWidth(ch: string): number {
	if (ZERO.test(ch)) {
		return 0;
	}

	return WIDE.test(ch) ? 2 : 1;
}

export function cellWidth(text: string): number {
	let n = 0;
	for (const ch of text) {
		n += charWidth(ch);
	}

	return n;
}

/**
 One doc line cut into lines at most `width` cells wide, breaking after a
 space where one is near, continuing behind the line's `hang`.
 */
export function wrapLine(line: DocLine, width: number): DocLine[] {
	const chars = line.segs.flatMap(s => [...s.text].map(ch => ({ch, style: s.style})));
	const total = chars.reduce((n, c) => n + charWidth(c.ch), 0);
	if (width < 2 || total <= width) {
		return [line];
	}

	const hang = line.hang ?? [];
	const hangWidth = Math.min(cellWidth(hang.map(s => s.text).join('')), Math.floor(width / 2));
	const out: DocLine[] = [];
	let at = 0;
	while (at < chars.length) {
		const room = out.length === 0 ? width : width - hangWidth;
		let end = at;
		let used = 0;
		while (end < chars.length && used + charWidth(chars[end].ch) <= room) {
			used += charWidth(chars[end++].ch);
		}

		if (end === at) {
			end++;
		}

		// A space right at the edge is the break itself; it need not start the next line.
		const skip = end < chars.length && chars[end].ch === ' ' ? 1 : 0;
		if (skip === 0 && end < chars.length) {
			let space = end;
			while (space > at && chars[space - 1].ch !== ' ') {
				space--;
			}

			// Only a break in the last third; further back it would leave a ragged stub.
			if (space > at && end - space < room / 3) {
				end = space;
			}
		}

		const piece = join(chars.slice(at, end));
		out.push({segs: out.length === 0 ? piece : [...hang, ...piece]});
		at = end + skip;
	}

	return out;
}

function join(chars: Array<{ch: string; style: DocStyle}>): Seg[] {
	const segs: Seg[] = [];
	for (const {ch, style} of chars) {
		const last = segs.at(-1);
		if (last?.style === style) {
			last.text += ch;
		} else {
			segs.push({text: ch, style});
		}
	}

	return segs;
}

export const wrapDoc = (lines: readonly DocLine[], width: number): DocLine[] => lines.flatMap(line => wrapLine(line, width));
