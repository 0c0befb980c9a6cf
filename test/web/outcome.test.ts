/**
How the page reads a run_agent result (chat/outcome.js), without a browser.
*/
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {
	appendLog,
	classifyResult,
	formatElapsed,
	wantsKey,
// @ts-expect-error -- plain JS served to the browser as is, without type declarations
} from '../../chat/outcome.js';

const text = (value: string, isError = false) => ({content: [{type: 'text', text: value}], isError});

test('the agent\'s failures in all their shapes are failures; anything else is an answer', () => {
	assert.deepEqual(classifyResult(text('✅ **Task Complete**\n\nok')), {state: 'done', text: '✅ **Task Complete**\n\nok'});
	for (const failure of ['Error: No tools available. Is the server initialized?', 'Agent encountered a critical error: boom', '  ❌ **Task Failed**\n']) {
		assert.equal(classifyResult(text(failure)).state, 'failed', failure);
	}

	assert.deepEqual(classifyResult(text('', true)), {state: 'failed', text: 'The tool reported an error without a message.'});
	assert.deepEqual(classifyResult({content: [], structuredContent: {result: '✅ fine'}}), {state: 'done', text: '✅ fine'});
});

test('log lines: a trailing (Ns) counter updates in place, the log is bounded', () => {
	let lines: string[] = [];
	for (const line of ['Agent received task: x', 'Agent reasoning... (1s)', 'Agent reasoning... (2s)', 'other', 'Agent reasoning... (3s)']) {
		lines = appendLog(lines, line);
	}

	assert.deepEqual(lines, ['Agent received task: x', 'Agent reasoning... (2s)', 'other', 'Agent reasoning... (3s)']);
	assert.equal(appendLog(Array.from({length: 5}, (_, i) => `l${i}`), 'new', 3).join(','), 'l3,l4,new');
});

test('a missing key is recognised in a child\'s stderr; the clock reads well', () => {
	assert.equal(wantsKey(['agent: no API key (set OPENAI_API_KEY or GEMINI_API_KEY)']), true);
	assert.equal(wantsKey(['Traceback', 'ValueError']), false);
	assert.equal(wantsKey(undefined), false);
	assert.equal(formatElapsed(3456), '3.5 s');
	assert.equal(formatElapsed(125_000), '2 min 05 s');
});
