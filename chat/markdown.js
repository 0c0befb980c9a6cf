// The agent's Markdown as a tree of plain objects, for render.js to turn into
// DOM nodes. No HTML is ever parsed: `<script>` in an answer is text like any
// other, and a link is a link only when its URL is http(s). Enough for the
// agent's reports (headings, fences, ✅/❌ lines, lists, quotes, emphasis,
// links), not CommonMark. Pure, so it is tested without a browser.

/**
 @typedef {{tag: string, cls?: string, href?: string, lang?: string, children: Array<MdNode | string>}} MdNode
 */

const FENCE = /^\s{0,3}(`{3,}|~{3,})\s*([^\s`]*)/;
const HEADING = /^\s{0,3}(#{1,6})\s+(.*?)(?:\s+#+)?\s*$/;
const RULE = /^\s{0,3}([*\-_])(?:\s*\1){2,}\s*$/;
const BULLET = /^\s{0,3}[*+\-]\s+(.*)$/;
const ORDERED = /^\s{0,3}\d{1,9}[).]\s+(.*)$/;
const QUOTE = /^\s{0,3}>\s?(.*)$/;
const STATUS = /^\s*(✅|❌)/u;

// `code`, **bold**, __bold__, *em*, ~~struck~~, ![alt](url), [text](url), <https://…>, bare https://…
const INLINE = /(`+)([^`]|[^`][\s\S]*?[^`])\1(?!`)|\*\*(?=\S)([\s\S]+?)\*\*|__(?=\S)([\s\S]+?)__|\*(?=[^\s*])([^*]+)\*|~~(?=\S)([\s\S]+?)~~|(!?)\[([^\n\]]+)\]\(\s*<?([^\s)>]+)>?(?:\s+"[^"]*")?\s*\)|<(https?:\/\/[^\s>]+)>|\b(https?:\/\/[^\s()<>]+[^\s!"'(),.:;<>?])/gi;

/**
 The URL as a link target, or undefined: only absolute http(s) URLs, so
 `javascript:`, `data:` and friends stay text.
 @param {string} raw
 @returns {string | undefined}
 */
export function safeHref(raw) {
	let url;
	try {
		url = new URL(raw);
	} catch {
		return undefined;
	}

	return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
}

/**
 @param {string} markdown
 @returns {MdNode[]}
 */
export function renderMarkdown(markdown) {
	const lines = markdown.replaceAll('\r\n', '\n').split('\n');
	/**
	@type {MdNode[]}
	*/
	const blocks = [];
	let index = 0;
	while (index < lines.length) {
		const line = lines[index];
		const fence = FENCE.exec(line);
		if (fence) {
			const body = [];
			index++;
			while (index < lines.length && !closes(lines[index], fence[1])) {body.push(lines[index++]);}
			index++;
			const code = {tag: 'code', children: [body.join('\n')]};
			blocks.push(fence[2] ? {tag: 'pre', lang: fence[2], children: [code]} : {tag: 'pre', children: [code]});
			continue;
		}

		if (line.trim() === '') {
			index++;
			continue;
		}

		const heading = HEADING.exec(line);
		if (heading) {
			blocks.push({tag: `h${heading[1].length}`, children: inline(heading[2])});
			index++;
			continue;
		}

		if (RULE.test(line)) {
			blocks.push({tag: 'hr', children: []});
			index++;
			continue;
		}

		const list = BULLET.test(line) ? BULLET : (ORDERED.test(line) ? ORDERED : undefined);
		if (list) {
			const items = [];
			while (index < lines.length && list.test(lines[index])) {items.push({tag: 'li', children: inline(list.exec(lines[index++])[1])});}
			blocks.push({tag: list === BULLET ? 'ul' : 'ol', children: items});
			continue;
		}

		if (QUOTE.test(line)) {
			const quoted = [];
			while (index < lines.length && QUOTE.test(lines[index])) {quoted.push(QUOTE.exec(lines[index++])[1]);}
			blocks.push({tag: 'blockquote', children: renderMarkdown(quoted.join('\n'))});
			continue;
		}

		// A paragraph runs to a blank line or the start of another block.
		const text = [line];
		index++;
		while (index < lines.length && lines[index].trim() !== '' && !startsBlock(lines[index])) {text.push(lines[index++]);}
		const status = STATUS.exec(line);
		const paragraph = {tag: 'p', children: inline(text.join('\n'))};
		if (status) {paragraph.cls = status[1] === '✅' ? 'status success' : 'status failure';}
		blocks.push(paragraph);
	}

	return blocks;
}

/**
@param {string} line @param {string} open
@param open
*/
function closes(line, open) {
	const fence = FENCE.exec(line);
	return fence !== null && fence[1][0] === open[0] && fence[1].length >= open.length && fence[2] === '';
}

/**
@param {string} line
*/
function startsBlock(line) {
	return FENCE.test(line) || HEADING.test(line) || RULE.test(line) || BULLET.test(line) || ORDERED.test(line) || QUOTE.test(line) || STATUS.test(line);
}

/**
 @param {string} text
 @returns {Array<MdNode | string>}
 */
function inline(text) {
	/**
	@type {Array<MdNode | string>}
	*/
	const out = [];
	let at = 0;
	for (const match of text.matchAll(INLINE)) {
		if (match.index > at) {out.push(text.slice(at, match.index));}
		out.push(...span(match));
		at = match.index + match[0].length;
	}

	if (at < text.length) {out.push(text.slice(at));}
	return out;
}

/**
 @param {RegExpMatchArray} match
 @returns {Array<MdNode | string>}
 */
function span(match) {
	const [whole, ticks, code, bold, underscored, em, struck, bang, label, url, angled, bare] = match;
	if (ticks !== undefined) {return [{tag: 'code', children: [code.length > 2 && code.startsWith(' ') && code.endsWith(' ') ? code.slice(1, -1) : code]}];}
	if (bold !== undefined || underscored !== undefined) {return [{tag: 'strong', children: inline(bold ?? underscored)}];}
	if (em !== undefined) {return [{tag: 'em', children: inline(em)}];}
	if (struck !== undefined) {return [{tag: 'del', children: inline(struck)}];}
	const target = url ?? angled ?? bare;
	const href = safeHref(target);
	if (label !== undefined) {
		// An image would fetch from wherever the answer points: show it as a link to follow by choice.
		const children = bang ? [`image: ${label}`] : inline(label);
		return href === undefined ? [...children, ` (${target})`] : [{tag: 'a', href, children}];
	}

	return href === undefined ? [whole] : [{tag: 'a', href, children: [target]}];
}
