import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {markdownToAnsi} from '../../source/lib/markdown-ansi.js';
import {lineText, markdownToPlain, renderMarkdown} from '../../source/lib/markdown.js';
import {classifyResult} from '../../source/agent/outcome.js';

/**
The code-mode agent's report, as the fixture (and its executor_server.py) write it.
*/
const REPORT = [
	'✅ **Task Complete**',
	'',
	'### Execution Output',
	'```',
	'hello world',
	'\tindented',
	'```',
	'',
	'### Generated Code',
	'```python',
	'print("hello world")',
	'```',
].join('\n');

describe('renderMarkdown', () => {
	test('the seed\'s report: status line, headings, code without fences', () => {
		const lines = renderMarkdown(REPORT);
		assert.deepEqual(lines, [
			[{text: '✅ Task Complete', style: 'success'}],
			[],
			[{text: 'Execution Output', style: 'heading'}],
			[{text: '  ', style: 'plain'}, {text: 'hello world', style: 'code'}],
			[{text: '  ', style: 'plain'}, {text: '    indented', style: 'code'}],
			[],
			[{text: 'Generated Code', style: 'heading'}],
			[{text: '  ', style: 'plain'}, {text: 'print("hello world")', style: 'code'}],
		]);
	});

	test('a failure line is an error', () => {
		assert.deepEqual(renderMarkdown('❌ **Task Failed**'), [[{text: '❌ Task Failed', style: 'error'}]]);
	});

	test('inline bold, code and links; lists and quotes', () => {
		assert.deepEqual(renderMarkdown('Use **bold** and `x = 1` or __this__, see [docs](https://x.dev).'), [[
			{text: 'Use ', style: 'plain'},
			{text: 'bold', style: 'bold'},
			{text: ' and ', style: 'plain'},
			{text: 'x = 1', style: 'code'},
			{text: ' or ', style: 'plain'},
			{text: 'this', style: 'bold'},
			{text: ', see docs (https://x.dev).', style: 'plain'},
		]]);
		assert.deepEqual(renderMarkdown('- one\n  * **two**\n1. three\n> quoted').map(lineText), ['• one', '  • two', '1. three', '│ quoted']);
		assert.deepEqual(renderMarkdown('  * **two**')[0], [{text: '  • ', style: 'plain'}, {text: 'two', style: 'bold'}]);
	});

	test('what it does not know stays as written', () => {
		assert.deepEqual(renderMarkdown('a * b * c and snake_case_name and 2 ** 3').map(lineText), ['a * b * c and snake_case_name and 2 ** 3']);
		assert.deepEqual(renderMarkdown('#hashtag').map(lineText), ['#hashtag']);
	});

	test('an unclosed fence runs to the end; a longer fence needs a closer as long', () => {
		assert.deepEqual(renderMarkdown('```\ncode\n### not a heading').map(lineText), ['  code', '  ### not a heading']);
		assert.deepEqual(renderMarkdown('````md\n```\ninner\n```\n````\nafter').map(lineText), ['  ```', '  inner', '  ```', 'after']);
	});

	test('headings of any level, rules, CRLF', () => {
		assert.deepEqual(renderMarkdown('# One #\r\n## Two\r\n---').map(lineText), ['One', 'Two', '─'.repeat(40)]);
	});
});

describe('plain and ANSI output', () => {
	test('plain text reads well without styles', () => {
		assert.equal(markdownToPlain(REPORT), '✅ Task Complete\n\nExecution Output\n  hello world\n      indented\n\nGenerated Code\n  print("hello world")');
	});

	test('ANSI: each style sets and resets its own attribute', () => {
		const ansi = markdownToAnsi('### Head\n**b** `c`\n✅ ok\n❌ no');
		assert.equal(ansi, '\u{1B}[1;4mHead\u{1B}[22;24m\n\u{1B}[1mb\u{1B}[22m \u{1B}[36mc\u{1B}[39m\n\u{1B}[32m✅ ok\u{1B}[39m\n\u{1B}[31m❌ no\u{1B}[39m');
	});
});

describe('classifyResult', () => {
	const text = (value: string, extra: Record<string, unknown> = {}) => ({content: [{type: 'text', text: value}], ...extra});

	test('a report is an answer; failure prefixes and isError are tool errors', () => {
		assert.deepEqual(classifyResult(text(REPORT, {isError: false})), {kind: 'answer', text: REPORT, isError: false});
		for (const failure of ['❌ **Task Failed**\n...', 'Error: Tool bridge unavailable', 'Agent encountered a critical error: boom', '  Error: leading space']) {
			assert.equal(classifyResult(text(failure)).kind, 'tool-error', failure);
		}

		assert.deepEqual(classifyResult(text('fine words', {isError: true})), {kind: 'tool-error', text: 'fine words'});
		assert.equal(classifyResult(text('An Error: inside is fine')).kind, 'answer');
	});

	test('text content first, structuredContent.result as the fallback', () => {
		assert.equal(classifyResult({content: [{type: 'text', text: 'from text'}], structuredContent: {result: 'from structured'}}).kind, 'answer');
		assert.deepEqual(classifyResult({content: [], structuredContent: {result: '✅ **Task Complete**'}}), {kind: 'answer', text: '✅ **Task Complete**', isError: false});
		assert.deepEqual(classifyResult({content: [], structuredContent: {result: 'Error: No tools available.'}}), {kind: 'tool-error', text: 'Error: No tools available.'});
		assert.deepEqual(classifyResult({content: [{type: 'image', data: '', mimeType: 'image/png'}], isError: true}), {kind: 'tool-error', text: 'the tool reported an error without a message'});
	});
});
