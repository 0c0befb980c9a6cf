import assert from 'node:assert/strict';
import {afterEach, test} from 'node:test';
import React from 'react';
import {mountDashboard} from '../../source/ui/mount.js';
import type {PromptPastRun} from '../../source/ui/prompt-port.js';
import {waitFor, waitForFrame} from '../helpers/ink-wait.js';
import {keys, renderAt, type Rendered} from '../helpers/render-at.js';
import {FakePrompt, SEED_ANSWER} from './fake-prompt.js';
import {world} from './world.js';

let cleanups: Array<() => void> = [];
afterEach(() => {
	for (const c of cleanups) {
		c();
	}

	cleanups = [];
});

function mount(columns: number, rows: number, prompt = new FakePrompt()) {
	const w = world({sessions: 3, prompt});
	const r = renderAt(w.element, columns, rows, mountDashboard);
	cleanups.push(() => {
		r.unmount();
		w.store.dispose();
	});
	return {...w, r, prompt};
}

function assertFits(r: Rendered) {
	for (const [i, frame] of r.stdout.frames.entries()) {
		const {rows} = r.stdout.sizes[i];
		assert.ok(frame.split('\n').length <= rows - 1, `frame ${i}: ${frame.split('\n').length} lines at ${rows} rows:\n${frame}`);
	}
}

const past = (task: string, answer: string, startedAt: number): PromptPastRun => ({
	task, state: 'done', answer, startedAt, elapsedMs: 3000,
});

/**
Focuses the prompt pane and leaves the input, so single keys are commands.
*/
async function focusPrompt(r: Rendered) {
	r.press('p');
	await waitForFrame(r.lastFrame, 'Esc leave');
	r.press(keys.escape);
	// The normal-mode footer again, which the input's own footer is not.
	await waitForFrame(r.lastFrame, /\? help .*q quit/);
}

test('80×24 running: the agent pane replaces the tail with elapsed, progress (also going back), logs and the cap', async () => {
	const {r, prompt} = mount(80, 24);
	await waitForFrame(r.lastFrame, 'first session line 29');
	r.press('p');
	await waitForFrame(r.lastFrame, 'ask the agent…');
	prompt.set({
		state: 'running', task: 'count the words', elapsedMs: 12_300, maxTotalMs: 3_600_000, progress: {progress: 7, total: 10}, logs: ['Agent received task: count the words'],
	});
	let frame = await waitForFrame(r.lastFrame, /› Agent · count the words .*running 12\.3s · 7\/10 · max 60m/);
	assert.doesNotMatch(frame, /first session line/, 'the tail gives way to the agent pane');
	assert.match(frame, /^ Agent received task: count the words$/m);
	assert.match(frame, /C-c cancel run/, 'the footer says Ctrl+C cancels');

	prompt.set({elapsedMs: 13_000, progress: {progress: 2, total: 10, message: 'retrying'}, logs: ['Agent received task: count the words', 'Agent reasoning... (13s)']});
	frame = await waitForFrame(r.lastFrame, /running 13\.0s · 2\/10 · max 60m/);
	assert.match(frame, /› Agent · count the words · retrying/);
	assert.match(frame, /^ Agent reasoning\.\.\. \(13s\)$/m, 'the newest log line is at the bottom');
	// A total that changes, and one that is gone, still read as plain numbers.
	prompt.set({progress: {progress: 3, total: 4}});
	await waitForFrame(r.lastFrame, /running 13\.0s · 3\/4 ·/);
	prompt.set({progress: {progress: 1.5}});
	await waitForFrame(r.lastFrame, /running 13\.0s · 1\.5 ·/);

	r.press(keys.escape);
	frame = await waitForFrame(r.lastFrame, /›▸ ◐ running 13\.0s · 1\.5 · Agent reasoning\.\.\. \(13s\) +max 60m\n/);
	r.press('3');
	frame = await waitForFrame(r.lastFrame, 'first session line 29');
	assert.doesNotMatch(frame, /› Agent/, 'leaving the prompt pane brings the tail back');
	assert.match(frame, /\n ▸ ◐ running 13\.0s/, 'the status stays on the prompt line');
	assertFits(r);
});

test('80×24 done: a seed-style Markdown answer reads cleanly and scrolls with j/k, PgDn, G and g', async () => {
	const {r, prompt} = mount(80, 24, new FakePrompt({
		state: 'done', task: 'count the words', elapsedMs: 3000, answer: SEED_ANSWER,
	}));
	let frame = await waitForFrame(r.lastFrame, '✔ answer (3.0s) · 4 view · count the words');
	await focusPrompt(r);
	frame = await waitForFrame(r.lastFrame, /› Agent · count the words +✔ done 3\.0s · 1-13\/\d+/);
	assert.match(frame, /^ ✅ Task Complete$/m);
	assert.match(frame, /^ The agent counted 3 words in your task\.$/m, 'bold without its asterisks');
	assert.match(frame, /^ Execution Output$/m, 'a heading without its hashes');
	assert.match(frame, /^ ╭─+$/m, 'a fence becomes a border');
	assert.match(frame, /^ │ Task: count the words$/m);
	assert.match(frame, /^ ╭─ python ─+$/m, 'with its language');
	assert.doesNotMatch(frame, /```|\*\*|###/);
	const total = Number(/1-13\/(\d+)/.exec(frame)![1]);

	r.press('j');
	frame = await waitForFrame(r.lastFrame, `2-14/${total}`);
	assert.doesNotMatch(frame, /✅ Task Complete/);
	r.press(keys.pageDown);
	await waitForFrame(r.lastFrame, `15-27/${total}`);
	r.press('G');
	frame = await waitForFrame(r.lastFrame, `${total - 12}-${total}/${total}`);
	assert.match(frame, /^ last line of the answer$/m);
	r.press('k');
	await waitForFrame(r.lastFrame, `${total - 13}-${total - 1}/${total}`);
	r.press('g');
	await waitForFrame(r.lastFrame, `1-13/${total}`);

	// A new answer starts at its top, whatever the last one was scrolled to.
	r.press('G');
	await waitForFrame(r.lastFrame, `${total - 12}-${total}/${total}`);
	prompt.set({task: 'again', answer: `${SEED_ANSWER}\nmore`, elapsedMs: 2000});
	await waitForFrame(r.lastFrame, new RegExp(`› Agent · again .*1-13/${total + 1}`));
	assertFits(r);
});

test('w switches wrapping of the answer; the tail keeps its own setting', async () => {
	const long = `${'word '.repeat(30)}END`;
	const {r} = mount(80, 24, new FakePrompt({
		state: 'done', task: 't', elapsedMs: 1000, answer: long,
	}));
	await focusPrompt(r);
	let frame = await waitForFrame(r.lastFrame, /› Agent · t/);
	assert.match(frame, /^ (word ){15}/m);
	assert.match(frame, /^ .*END$/m, 'wrapped by default: the end is on screen');
	r.press('w');
	frame = await waitForFrame(r.lastFrame, 'nowrap');
	assert.doesNotMatch(frame, /END/);
	assert.match(frame, /^ (word ){15}.*…$/m);
	r.press('3');
	frame = await waitForFrame(r.lastFrame, 'first session line');
	assert.doesNotMatch(frame, /FOLLOW {2}wrap/, 'the tail is not wrapped by it');
});

test('error shapes: a tool error, a missing agent with its config, a crash with stderr', async () => {
	const prompt = new FakePrompt({
		state: 'error', task: 'do it', elapsedMs: 800, error: 'Error: the model refused',
	});
	const {r} = mount(80, 24, prompt);
	let frame = await waitForFrame(r.lastFrame, '✖ failed (800ms): Error: the model refused · 4 view');
	await focusPrompt(r);
	frame = await waitForFrame(r.lastFrame, /› Agent · do it +✖ failed 800ms/);
	assert.match(frame, /^ Error: the model refused$/m);

	prompt.set({error: '❌ **Task Failed**\n\n### Errors\n```\nTraceback: boom\n```'});
	frame = await waitForFrame(r.lastFrame, /^ ❌ Task Failed$/m);
	assert.match(frame, /^ Errors$/m);
	assert.match(frame, /^ │ Traceback: boom$/m);

	const setup = 'no server offers the "run_agent" tool: (no servers are configured)\n\nName the agent\'s server in mcpd.toml, e.g. for the code-mode agent:\n\n  [agent]\n  server = "agent"\n\n  [server.agent]\n  command = "python"';
	prompt.set({error: setup, task: 'hello'});
	frame = await waitForFrame(r.lastFrame, /^ {3}\[server\.agent\]$/m);
	assert.match(frame, /^ no server offers the "run_agent" tool/m);
	assert.match(frame, /^ {3}command = "python"$/m);

	prompt.set({error: 'the agent process exited (code 1)', stderr: ['Traceback (most recent call last):', 'KeyError: OPENAI_API_KEY'], logs: ['starting']});
	frame = await waitForFrame(r.lastFrame, /stderr of the agent process:/);
	assert.match(frame, /^ {3}KeyError: OPENAI_API_KEY$/m);
	assert.match(frame, /^ {3}starting$/m, 'and what it logged before');
	assertFits(r);
});

test('[ and ] step through past answers and say which one is shown', async () => {
	const prompt = new FakePrompt({
		state: 'done', task: 'third', elapsedMs: 3000, answer: 'answer three',
		past: [past('first', 'answer one', 1), past('second', 'answer two', 2), past('third', 'answer three', 3)],
	});
	const {r} = mount(80, 24, prompt);
	await focusPrompt(r);
	await waitForFrame(r.lastFrame, /› Agent · third .*answer 3\/3/);
	r.press('[');
	let frame = await waitForFrame(r.lastFrame, /› Agent · second .*answer 2\/3/);
	assert.match(frame, /^ answer two$/m);
	r.press('[', '[');
	frame = await waitForFrame(r.lastFrame, /› Agent · first .*answer 1\/3/);
	assert.match(frame, /^ answer one$/m);
	r.press(']');
	await waitForFrame(r.lastFrame, /› Agent · second .*answer 2\/3/);
	// A new run is shown as it starts, after the answers before it.
	prompt.set({
		state: 'running', task: 'fourth', elapsedMs: 0, logs: [],
	});
	r.press(']', ']');
	frame = await waitForFrame(r.lastFrame, /› Agent · fourth .*run 4\/4/);
	assert.match(frame, /waiting for the agent…/);
});

test('Ctrl+C on the prompt pane cancels a run instead of arming quit; x cancels too; with no run, twice quits', async () => {
	const prompt = new FakePrompt({
		state: 'running', task: 'long one', elapsedMs: 500, logs: [],
	});
	const {r, quits} = mount(80, 24, prompt);
	r.press('p');
	await waitForFrame(r.lastFrame, /› Agent · long one/);
	r.press(keys.ctrlC);
	await waitFor(() => prompt.cancels === 1, {message: 'a cancel'});
	await waitForFrame(r.lastFrame, /\nagent run cancelled · Ctrl\+C twice quits$/);
	prompt.set({state: 'cancelled', elapsedMs: 600});
	await waitForFrame(r.lastFrame, /⊘ cancelled 600ms/);
	assert.equal(quits(), 0);

	prompt.set({state: 'running', task: 'another', elapsedMs: 0});
	r.press(keys.escape);
	await waitForFrame(r.lastFrame, /›▸ ◐ running/);
	r.press('x');
	await waitFor(() => prompt.cancels === 2, {message: 'a second cancel'});
	prompt.set({state: 'cancelled', elapsedMs: 100});
	await waitForFrame(r.lastFrame, /›▸ ⊘ cancelled \(100ms\)/);

	// Esc out of the input, then Esc again on the pane, stops a run too.
	prompt.set({state: 'running', task: 'third', elapsedMs: 0});
	r.press('p');
	await waitForFrame(r.lastFrame, /›▸ /);
	r.press(keys.escape);
	await waitForFrame(r.lastFrame, /›▸ ◐ running/);
	assert.equal(prompt.cancels, 2, 'leaving the input cancels nothing');
	r.press(keys.escape);
	await waitFor(() => prompt.cancels === 3, {message: 'Esc cancels the run'});
	prompt.set({state: 'cancelled', elapsedMs: 50});
	await waitForFrame(r.lastFrame, /⊘ cancelled/);

	r.press(keys.ctrlC);
	await waitForFrame(r.lastFrame, /Ctrl\+C again to quit/);
	r.press(keys.ctrlC);
	await waitFor(() => quits() === 1, {message: 'a quit'});
	assert.equal(prompt.cancels, 3);
});

test('Enter while a run is in flight keeps the draft and says why', async () => {
	const prompt = new FakePrompt({state: 'running', task: 'busy', elapsedMs: 0});
	const {r} = mount(80, 24, prompt);
	r.press('p');
	await waitForFrame(r.lastFrame, 'ask the agent…');
	r.press('next task');
	await waitForFrame(r.lastFrame, '▸ next task');
	r.press(keys.enter);
	await waitForFrame(r.lastFrame, /a run is in progress/);
	assert.deepEqual(prompt.submitted, []);
	assert.match(r.lastFrame(), /▸ next task/);
	prompt.set({state: 'done', answer: 'ok', elapsedMs: 10});
	r.press(keys.enter);
	await waitFor(() => prompt.submitted.length === 1, {message: 'a submit'});
	assert.deepEqual(prompt.submitted, ['next task']);
});

test('wide and compact layouts show the agent pane; every frame fits rows - 1 in running and done states', async () => {
	for (const [columns, rows] of [[80, 24], [120, 40], [60, 20], [50, 12], [40, 10]] as const) {
		const prompt = new FakePrompt({
			state: 'running', task: 'sized', elapsedMs: 1000, maxTotalMs: 60_000, progress: {progress: 1, total: 3}, logs: Array.from({length: 40}, (_, i) => `log line ${i}`),
		});
		const {r} = mount(columns, rows, prompt);
		await waitForFrame(r.lastFrame, /mcpd/);
		r.press('p');
		if (columns < 50) {
			await waitForFrame(r.lastFrame, `mcpd needs ≥ 50×12 (now ${columns}×${rows})`);
		} else {
			let frame = await waitForFrame(r.lastFrame, /Agent · sized/);
			assert.match(frame, /log line 39/, `${columns}×${rows}: the newest log is in view`);
			prompt.set({state: 'done', answer: SEED_ANSWER, elapsedMs: 3000});
			frame = await waitForFrame(r.lastFrame, /✔ done 3\.0s/);
			assert.match(frame, /✅ Task Complete/);
			r.press(keys.escape);
			await waitForFrame(r.lastFrame, /\? help .*q quit/);
			r.press('z');
			frame = await waitForFrame(r.lastFrame, /✔ done 3\.0s · 1-(\d+)/);
			r.press('G', 'z', 'w');
			await waitForFrame(r.lastFrame, /nowrap/);
		}

		if (columns === 120) {
			// Wide: the prompt's box grows at the bottom, the panes above stay.
			r.press(keys.escape, 'p');
			const frame = await waitForFrame(r.lastFrame, /│› Agent · sized/);
			assert.match(frame, /Sessions 3 open/);
		}

		assertFits(r);
	}
});
