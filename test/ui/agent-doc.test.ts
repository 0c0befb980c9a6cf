import assert from 'node:assert/strict';
import {test} from 'node:test';
import {progressText} from '../../source/ui/agent-status.js';
import {agentDoc} from '../../source/ui/state/agent-doc.js';
import {agentItems, pickedIndex, resolveTop, stepPick} from '../../source/ui/state/agent-items.js';
import {cellWidth, markdownDoc, wrapLine, type DocLine} from '../../source/ui/state/doc-lines.js';
import {SEED_ANSWER} from './fake-prompt.js';

const text = (line: DocLine) => line.segs.map(s => s.text).join('');

test('markdown doc: the code-mode agent report keeps heading, bold and status styles; fences become a labelled border', () => {
	const doc = markdownDoc(SEED_ANSWER);
	assert.deepEqual(doc[0].segs, [{text: '✅ Task Complete', style: 'success'}]);
	assert.deepEqual(doc[2].segs, [{text: 'The agent counted ', style: 'plain'}, {text: '3 words', style: 'bold'}, {text: ' in your task.', style: 'plain'}]);
	assert.deepEqual(doc[4].segs, [{text: 'Execution Output', style: 'heading'}]);
	const python = doc.findIndex(l => text(l).startsWith('╭─ python '));
	assert.ok(python > 0);
	assert.deepEqual(doc[python + 1].segs, [{text: '│ ', style: 'border'}, {text: 'task = "count the words"', style: 'code'}]);
	assert.match(text(doc[python + 4]), /^╰─+$/);
	assert.ok(doc.every(l => !/```|\*\*|###/.test(text(l))));
});

test('markdown doc: an unclosed fence runs to the end; escapes and tabs are made safe', () => {
	const doc = markdownDoc('```js\nlet a\n\tb \u{1B}[31mred');
	assert.deepEqual(doc.map(text), ['╭─ js ───────', '│ let a', '│     b red', '╰────────────']);
});

test('error tone: plain text is an error, headings and code keep their own style', () => {
	const doc = markdownDoc('Error: boom\n### Errors\n`x`', 'error');
	assert.deepEqual(doc.map(l => l.segs.map(s => s.style)), [['error'], ['heading'], ['code']]);
});

test('wrapping breaks at spaces, counts emoji as two cells, and hangs code and bullets', () => {
	const lines = wrapLine({segs: [{text: 'alpha beta gamma delta', style: 'plain'}]}, 12);
	assert.deepEqual(lines.map(text), ['alpha beta ', 'gamma delta']);
	assert.equal(cellWidth('✅ ok'), 5);
	const wide = wrapLine({segs: [{text: '✅✅✅✅✅✅', style: 'success'}]}, 5);
	assert.ok(wide.every(l => cellWidth(text(l)) <= 5), 'no line wider than the pane');
	const [code] = markdownDoc('```\nxxxxxxxxxxxxxxxxxxxx\n```').slice(1);
	assert.deepEqual(wrapLine(code, 12).map(text), ['│ xxxxxxxxxx', '│ xxxxxxxxxx']);
	const [bullet] = markdownDoc('- one two three four five');
	assert.deepEqual(wrapLine(bullet, 12).map(text), ['• one two ', '  three four', '  five']);
});

test('the doc for each state', () => {
	const base = {key: 'k', task: 't', logs: ['first', 'second']};
	assert.deepEqual(agentDoc({...base, state: 'running'}, 80, true).map(text), ['first', 'second']);
	assert.match(text(agentDoc({...base, state: 'running', logs: []}, 80, true)[0]), /waiting for the agent/);
	const failed = agentDoc({
		...base, state: 'error', error: 'exited\nLast lines of its stderr:\n  boom', stderr: ['boom', 'other'],
	}, 80, true).map(text);
	assert.deepEqual(failed.slice(3), ['', 'stderr of the agent process:', '  other', '', 'its log:', '  first', '  second'], 'stderr already quoted is not repeated');
	assert.match(agentDoc({...base, state: 'cancelled'}, 80, true).map(text).join('\n'), /Cancelled[\s\S]* {2}second/);
	assert.match(text(agentDoc(undefined, 80, true)[0]), /Type a task/);
});

test('items: past runs then the one in flight, with stable keys; a port without past still shows its outcome', () => {
	const past = [{
		task: 'a', state: 'done' as const, answer: 'A', startedAt: 1, elapsedMs: 5,
	}];
	const running = agentItems({
		state: 'running', task: 'b', logs: ['x'], history: [], past,
	});
	assert.deepEqual(running.map(i => [i.key, i.state, i.logs]), [['past#1', 'done', []], ['run#1', 'running', ['x']]]);
	const done = agentItems({
		state: 'done', task: 'b', answer: 'B', logs: ['x'], history: [], past: [...past, {
			task: 'b', state: 'done', answer: 'B', startedAt: 9, elapsedMs: 1,
		}],
	});
	assert.deepEqual(done.map(i => [i.key, i.logs]), [['past#1', []], ['past#9', ['x']]], 'the latest keeps its log');
	assert.deepEqual(agentItems({
		state: 'error', task: 'c', error: 'E', logs: [], history: [],
	}).map(i => [i.state, i.error]), [['error', 'E']]);
	assert.deepEqual(agentItems({state: 'idle', logs: [], history: []}), []);
});

test('picking and scrolling: stepping onto the newest follows new runs; a stale scroll resets', () => {
	const keys = ['a', 'b', 'c'];
	assert.equal(pickedIndex(keys, undefined), 2);
	assert.equal(pickedIndex(keys, 'gone'), 2);
	assert.equal(stepPick(keys, undefined, -1), 'b');
	assert.equal(stepPick(keys, 'a', -1), 'a');
	assert.equal(stepPick(keys, 'b', 1), undefined);
	assert.equal(resolveTop(undefined, 'a', false, 30, 10), 0, 'an answer starts at its top');
	assert.equal(resolveTop(undefined, 'a', true, 30, 10), 20, 'a log starts at its end');
	assert.equal(resolveTop({key: 'a', top: 7}, 'a', false, 30, 10), 7);
	assert.equal(resolveTop({key: 'a', top: 27}, 'a', false, 30, 10), 20, 'clamped');
	assert.equal(resolveTop({key: 'old', top: 7}, 'a', false, 30, 10), 0);
	assert.equal(resolveTop({key: 'a', top: 'end'}, 'a', false, 5, 10), 0);
});

test('progress reads as given, whatever its direction or total', () => {
	assert.equal(progressText({progress: 7, total: 10}), '7/10');
	assert.equal(progressText({progress: 2, total: 10}), '2/10');
	assert.equal(progressText({progress: 12, total: 10}), '12/10');
	assert.equal(progressText({progress: 0.25}), '0.3');
	assert.equal(progressText({progress: 3, total: 0}), '3');
	assert.equal(progressText({progress: NaN}), '');
	assert.equal(progressText(undefined), '');
});
