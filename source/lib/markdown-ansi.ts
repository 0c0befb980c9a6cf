import {type MdLine, type MdStyle, renderMarkdown} from './markdown.js';

/**
SGR on/off pairs; each resets only what it set, so spans can sit side by side.
*/
const SGR: Record<MdStyle, [string, string]> = {
	heading: ['\u{1B}[1;4m', '\u{1B}[22;24m'],
	bold: ['\u{1B}[1m', '\u{1B}[22m'],
	code: ['\u{1B}[36m', '\u{1B}[39m'],
	error: ['\u{1B}[31m', '\u{1B}[39m'],
	success: ['\u{1B}[32m', '\u{1B}[39m'],
	plain: ['', ''],
};

export function linesToAnsi(lines: MdLine[]): string {
	return lines.map(line => line.map(({text, style}) => `${SGR[style][0]}${text}${SGR[style][1]}`).join('')).join('\n');
}

export function markdownToAnsi(markdown: string): string {
	return linesToAnsi(renderMarkdown(markdown));
}
