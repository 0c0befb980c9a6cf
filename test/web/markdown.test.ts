/**
 The page's Markdown reader (chat/markdown.js), without a browser: what
 becomes an element, and that HTML and unsafe links stay text.
 */
import assert from 'node:assert/strict';
import {test} from 'node:test';
// @ts-expect-error -- plain JS served to the browser as is, without type declarations
import {renderMarkdown, safeHref} from '../../chat/markdown.js';

type Node = {tag: string; cls?: string; href?: string; lang?: string; children: Array<Node | string>};
const render = renderMarkdown;

/**
`<tag.cls href>text</tag>`-ish, compact enough to compare whole documents.
*/
function show(nodes: Array<Node | string>): string {
	return nodes.map(node => {
		if (typeof node === 'string') {
			return node;
		}

		const name = [node.tag, node.cls?.replaceAll(' ', '.')].filter(Boolean).join('.');
		const attrs = [node.href && ` href=${node.href}`, node.lang && ` lang=${node.lang}`].filter(Boolean).join('');
		return `<${name}${attrs}>${show(node.children)}</${node.tag}>`;
	}).join('');
}

test('the agent\'s report: status line, headings, fences with their language', () => {
	const report = '✅ **Task Complete**\n\n### Execution Output\n```\nhello\n(1 words)\n```\n\n### Generated Code\n```python\nprint("hello")\n```';
	assert.equal(show(render(report)), [
		'<p.status.success>✅ <strong>Task Complete</strong></p>',
		'<h3>Execution Output</h3>',
		'<pre><code>hello\n(1 words)</code></pre>',
		'<h3>Generated Code</h3>',
		'<pre lang=python><code>print("hello")</code></pre>',
	].join(''));
	assert.equal(show(render('❌ **Task Failed**')), '<p.status.failure>❌ <strong>Task Failed</strong></p>');
});

test('lists, quotes, rules, inline code, emphasis and paragraphs', () => {
	assert.equal(show(render('- one\n- `two`\n\n1. first\n2) second')), '<ul><li>one</li><li><code>two</code></li></ul><ol><li>first</li><li>second</li></ol>');
	assert.equal(show(render('> quoted *line*\n\n---\nplain\nnext line ~~gone~~ __bold__')), '<blockquote><p>quoted <em>line</em></p></blockquote><hr></hr><p>plain\nnext line <del>gone</del> <strong>bold</strong></p>');
	assert.equal(show(render('a * b * c and snake_case_name')), '<p>a * b * c and snake_case_name</p>');
	assert.equal(show(render('````\n```\nnested\n```\n````')), '<pre><code>```\nnested\n```</code></pre>');
	assert.equal(show(render('```js\nunclosed')), '<pre lang=js><code>unclosed</code></pre>');
});

test('raw HTML is text, wherever it is', () => {
	const html = '<script>alert(1)</script>\n\n<img src=x onerror="alert(2)">\n\n# <b>heading</b>\n\n**<i>bold</i>**';
	assert.equal(show(render(html)), '<p><script>alert(1)</script></p><p><img src=x onerror="alert(2)"></p><h1><b>heading</b></h1><p><strong><i>bold</i></strong></p>');
	assert.ok(render(html).every(function walk(node: Node | string): boolean {
		return typeof node === 'string' || (['p', 'h1', 'strong'].includes(node.tag) && node.children.every(walk));
	}));
});

test('links only to http(s); images become links, never fetched', () => {
	assert.equal(show(render('[docs](https://example.com/a?b=1) and <http://localhost:3000/x> and https://example.org/p.')),
		'<p><a href=https://example.com/a?b=1>docs</a> and <a href=http://localhost:3000/x>http://localhost:3000/x</a> and <a href=https://example.org/p>https://example.org/p</a>.</p>');
	assert.equal(show(render('[x](javascript:alert(1)) [y](data:text/html,hi) [z](/relative) ![pic](https://example.com/p.png)')),
		'<p>x (javascript:alert(1)) y (data:text/html,hi) z (/relative) <a href=https://example.com/p.png>image: pic</a></p>');
	assert.equal(safeHref('JavaScript:alert(1)'), undefined);
	assert.equal(safeHref('https://example.com'), 'https://example.com/');
	assert.equal(safeHref('vbscript:x'), undefined);
});
