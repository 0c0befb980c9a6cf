// Markdown.js's tree as DOM nodes, built with createElement and text nodes
// only: nothing here parses HTML, so nothing in an answer can become markup.
// Tags outside a short list are refused, as a second line behind markdown.js.

import {renderMarkdown, safeHref} from './markdown.js';

const TAGS = new Set(['h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'p', 'pre', 'code', 'ul', 'ol', 'li', 'blockquote', 'hr', 'strong', 'em', 'del', 'a']);

/**
 The answer, rendered into a new element of class `md`.
 @param {string} markdown
 @returns {HTMLElement}
 */
export function markdownElement(markdown) {
	const root = document.createElement('div');
	root.className = 'md';
	for (const node of renderMarkdown(markdown)) {root.append(build(node));}
	return root;
}

/**
 @param {import('./markdown.js').MdNode | string} node
 @returns {Node}
 */
function build(node) {
	if (typeof node === 'string') {return document.createTextNode(node);}
	if (!TAGS.has(node.tag)) {throw new Error(`refusing to render <${node.tag}>`);}
	const element = document.createElement(node.tag);
	if (node.cls) {element.className = node.cls;}
	if (node.tag === 'a') {
		const href = safeHref(node.href ?? '');
		if (href === undefined) {return document.createTextNode(element.textContent);}
		element.href = href;
		element.target = '_blank';
		element.rel = 'noopener noreferrer nofollow';
	}

	for (const child of node.children) {element.append(build(child));}
	return node.tag === 'pre' ? codeBlock(element, node.lang) : element;
}

/**
 A fenced block with its language and a copy button.
 @param {HTMLElement} pre
 @param {string | undefined} lang
 */
function codeBlock(pre, lang) {
	const box = document.createElement('div');
	box.className = 'codeblock';
	const bar = document.createElement('div');
	bar.className = 'codebar';
	const label = document.createElement('span');
	label.textContent = lang ?? '';
	const copy = document.createElement('button');
	copy.type = 'button';
	copy.className = 'copy';
	copy.textContent = 'Copy';
	copy.setAttribute('aria-label', lang ? `Copy the ${lang} code` : 'Copy the code');
	copy.addEventListener('click', async () => {
		const done = await copyText(pre.textContent ?? '');
		copy.textContent = done ? 'Copied' : 'Select and copy';
		setTimeout(() => {
			copy.textContent = 'Copy';
		}, 1500);
	});
	bar.append(label, copy);
	box.append(bar, pre);
	return box;
}

/**
 The clipboard API exists only in secure contexts (https, or loopback); a
 page served over plain http elsewhere falls back to a selection.
 @param {string} text
 @returns {Promise<boolean>}
 */
async function copyText(text) {
	try {
		if (navigator.clipboard) {
			await navigator.clipboard.writeText(text);
			return true;
		}
	} catch {}

	const area = document.createElement('textarea');
	area.value = text;
	area.setAttribute('readonly', '');
	area.className = 'offscreen';
	document.body.append(area);
	area.select();
	let done = false;
	try {
		done = document.execCommand('copy');
	} catch {}

	area.remove();
	return done;
}
