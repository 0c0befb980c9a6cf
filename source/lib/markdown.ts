/**
 The agent's Markdown as styled terminal lines: enough for its reports
 (headings, bold, fenced code, ✅/❌ status lines, lists), not CommonMark.
 Pure and dependency-free: the Ink pane maps styles to <Text> props, `ask`
 to ANSI (markdown-ansi.ts). Line for line, joined text reads well unstyled.
 */

export type MdStyle = 'heading' | 'bold' | 'code' | 'error' | 'success' | 'plain';

export type MdSegment = {
	text: string;
	style: MdStyle;
};

/**
One terminal line; empty for a blank line.
*/
export type MdLine = MdSegment[];

const CODE_INDENT = '  ';
const FENCE = /^\s*(`{3,}|~{3,})\s*([^\s`]*)/;
const HEADING = /^\s{0,3}#{1,6}\s+(.*?)(?:\s+#+)?\s*$/;
const RULE = /^\s{0,3}([*\-_])(?:\s*\1){2,}\s*$/;
const BULLET = /^(\s*)[*+-]\s+(.*)$/;
const QUOTE = /^\s{0,3}>\s?(.*)$/;
const STATUS = /^\s*(✅|❌)/u;
// `code`, **bold**, __bold__, [text](url); anything else stays as written.
const INLINE = /(`+)(.+?)\1(?!`)|\*\*(.+?)\*\*|__(.+?)__|\[([^\n\]]+)\]\(([^\s)]+)\)/g;

export function renderMarkdown(markdown: string): MdLine[] {
	const lines: MdLine[] = [];
	let fence: string | undefined;
	for (const raw of markdown.replaceAll('\r\n', '\n').split('\n')) {
		const line = raw.replaceAll('\t', ' '.repeat(4));
		if (fence !== undefined) {
			const close = FENCE.exec(line);
			if (close?.[1].startsWith(fence[0]) && close[1].length >= fence.length && close[2] === '') {
				fence = undefined;
			} else {
				lines.push(line === '' ? [] : [{text: CODE_INDENT, style: 'plain'}, {text: line, style: 'code'}]);
			}

			continue;
		}

		const open = FENCE.exec(line);
		if (open) {
			fence = open[1];
			continue;
		}

		lines.push(renderLine(line));
	}

	return lines;
}

function renderLine(line: string): MdLine {
	if (line.trim() === '') {
		return [];
	}

	const heading = HEADING.exec(line);
	if (heading) {
		return inline(heading[1], 'heading');
	}

	if (RULE.test(line)) {
		return [{text: '─'.repeat(40), style: 'plain'}];
	}

	const status = STATUS.exec(line);
	if (status) {
		return inline(line.trim(), status[1] === '✅' ? 'success' : 'error');
	}

	const bullet = BULLET.exec(line);
	if (bullet) {
		return merge([{text: `${bullet[1]}• `, style: 'plain'}, ...inline(bullet[2])]);
	}

	const quote = QUOTE.exec(line);
	return quote ? merge([{text: '│ ', style: 'plain'}, ...inline(quote[1])]) : inline(line);
}

/**
Inline spans; inside a heading or status line everything takes that line's style.
*/
function inline(text: string, base: MdStyle = 'plain'): MdLine {
	const segments: MdSegment[] = [];
	const style = (own: MdStyle): MdStyle => (base === 'plain' ? own : base);
	let at = 0;
	for (const match of text.matchAll(INLINE)) {
		segments.push({text: text.slice(at, match.index), style: base});
		const [, ticks, code, bold, underscored, label, url] = match;
		if (ticks !== undefined) {
			segments.push({text: code, style: style('code')});
		} else if (bold !== undefined || underscored !== undefined) {
			segments.push({text: bold ?? underscored, style: style('bold')});
		} else {
			segments.push({text: label, style: base}, {text: ` (${url})`, style: base});
		}

		at = match.index + match[0].length;
	}

	segments.push({text: text.slice(at), style: base});
	return merge(segments);
}

function merge(segments: MdSegment[]): MdLine {
	const merged: MdSegment[] = [];
	for (const segment of segments) {
		if (segment.text === '') {
			continue;
		}

		const last = merged.at(-1);
		if (last?.style === segment.style) {
			last.text += segment.text;
		} else {
			merged.push({...segment});
		}
	}

	return merged;
}

/**
A line's text without styles.
*/
export function lineText(line: MdLine): string {
	return line.map(segment => segment.text).join('');
}

/**
The whole document as plain, readable text.
*/
export function markdownToPlain(markdown: string): string {
	return renderMarkdown(markdown).map(lineText).join('\n');
}
