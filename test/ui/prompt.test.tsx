import assert from 'node:assert/strict';
import {afterEach, test} from 'node:test';
import {cleanup, render} from 'ink-testing-library';
import React from 'react';
import type {PromptPort} from '../../source/ui/prompt-port.js';
import {waitFor, waitForFrame} from '../helpers/ink-wait.js';
import {keys} from '../helpers/render-at.js';
import {FakePrompt} from './fake-prompt.js';
import {short, world} from './world.js';

let stores: Array<{dispose(): void}> = [];
afterEach(() => {
	cleanup();
	for (const s of stores) {
		s.dispose();
	}

	stores = [];
});

async function mount(prompt?: PromptPort) {
	const w = world({sessions: 2, prompt});
	stores.push(w.store);
	const r = render(w.element);
	const frame = () => r.lastFrame() ?? '';
	await waitForFrame(frame, short(1));
	return {...w, r, frame};
}

test('without an agent the prompt line says so, and p does not open it', async () => {
	const {r, frame} = await mount();
	assert.match(frame(), /▸ no agent server configured/);
	r.stdin.write('p');
	await waitForFrame(frame, /\nno agent server configured$/);
	r.stdin.write('j');
	await waitForFrame(frame, `› ${short(1)}`);
});

test('p opens the input; typed text is submitted on Enter and the draft cleared', async () => {
	const prompt = new FakePrompt();
	const {r, frame} = await mount(prompt);
	r.stdin.write('p');
	await waitForFrame(frame, 'ask the agent…');
	r.stdin.write('what is');
	r.stdin.write(' up');
	await waitForFrame(frame, '▸ what is up');
	r.stdin.write('q');
	await waitForFrame(frame, '▸ what is upq');
	r.stdin.write(keys.enter);
	await waitFor(() => prompt.submitted.length === 1, {message: 'a submit'});
	assert.deepEqual(prompt.submitted, ['what is upq']);
	await waitForFrame(frame, 'ask the agent…');
});

test('Esc leaves keeping the draft; ↑ recalls history; Ctrl+U clears without typing a u', async () => {
	const prompt = new FakePrompt();
	const {r, frame} = await mount(prompt);
	r.stdin.write('p');
	await waitForFrame(frame, 'ask the agent…');
	r.stdin.write(keys.up);
	await waitForFrame(frame, '▸ last question');
	r.stdin.write(keys.up);
	await waitForFrame(frame, '▸ older question');
	r.stdin.write(keys.ctrlU);
	await waitForFrame(frame, 'ask the agent…');
	r.stdin.write('keep me');
	await waitForFrame(frame, '▸ keep me');
	r.stdin.write(keys.escape);
	await waitForFrame(frame, 'draft: keep me');
	assert.deepEqual(prompt.submitted, []);
});

test('the line shows the agent\'s progress and answer; x on the prompt pane cancels the run', async () => {
	const prompt = new FakePrompt();
	const {r, frame} = await mount(prompt);
	prompt.set({
		state: 'running', task: 'summarise', elapsedMs: 4200, progress: {progress: 2, total: 5, message: 'reading'},
	});
	await waitForFrame(frame, /▸ ◐ running 4\.2s · 2\/5 reading/);
	r.stdin.write('p');
	await waitForFrame(frame, 'ask the agent…');
	r.stdin.write(keys.escape);
	await waitForFrame(frame, /›▸ ◐ running/);
	r.stdin.write('x');
	await waitFor(() => prompt.cancels === 1, {message: 'a cancel'});
	prompt.set({state: 'done', elapsedMs: 5000, answer: 'all good\nsecond line'});
	await waitForFrame(frame, '✔ answer (5.0s) · summarise');
});
