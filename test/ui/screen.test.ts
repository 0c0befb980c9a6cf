import assert from 'node:assert/strict';
import {test} from 'node:test';
import {createDashboardStore} from '../../source/store/store.js';
import type {PromptSnapshot} from '../../source/ui/prompt-port.js';
import {keyContext, planScreen, type KeySources} from '../../source/ui/screen.js';
import {handleKeys} from '../../source/ui/state/handle-keys.js';
import {initialUiState, type UiState} from '../../source/ui/state/ui-state.js';
import {deriveView} from '../../source/ui/state/view.js';
import {emptyLatency, FakeSupervisor, server} from '../store/fake-supervisor.js';
import {key} from './keys.js';

function sources(columns: number, rows: number, prompt?: PromptSnapshot): KeySources {
	const supervisor = new FakeSupervisor();
	supervisor.serverList = [server('fs'), server('git')];
	for (let i = 0; i < 60; i++) {
		supervisor.open({id: `s${String(i).padStart(2, '0')}`, server: 'fs', pid: 100 + i});
	}

	const store = createDashboardStore({supervisor, latency: emptyLatency});
	return {
		columns, rows, snapshot: store.getSnapshot(), now: 0, readOnly: false, prompt,
	};
}

const screenOf = (s: KeySources) => ({
	columns: s.columns, rows: s.rows, serverCount: s.snapshot.servers.length, promptAvailable: s.prompt !== undefined,
});

/**
One key against the context `keyContext` builds: no render, no refs.
*/
function press(ui: UiState, s: KeySources, input: string, flags = {}): UiState {
	return handleKeys(ui, input, key(flags), keyContext(ui, s)).ui;
}

for (const [columns, rows] of [[80, 24], [120, 40], [60, 20], [50, 12]]) {
	test(`${columns}×${rows}: PageDown moves the table by the page the pure layout plans`, () => {
		const s = sources(columns, rows);
		const page = planScreen(screenOf(s), initialUiState).pages.sessions;
		assert.deepEqual(keyContext(initialUiState, s).pages, planScreen(screenOf(s), initialUiState).pages);
		const ui = press(initialUiState, s, '', {pageDown: true});
		assert.equal(deriveView(s.snapshot, ui).sessionIndex, page);
		assert.equal(deriveView(s.snapshot, press(ui, s, '', {pageUp: true})).sessionIndex, 0);
	});
}

test('the context is laid out for the state the key starts from: zoomed, a page is the whole body', () => {
	const s = sources(80, 24);
	const zoomed = press(initialUiState, s, 'z');
	assert.equal(zoomed.zoom, true);
	const page = planScreen(screenOf(s), zoomed).pages.sessions;
	assert.ok(page > planScreen(screenOf(s), initialUiState).pages.sessions, 'zoom gives the table more rows');
	assert.equal(deriveView(s.snapshot, press(zoomed, s, '', {pageDown: true})).sessionIndex, page);
});

test('the agent pane pages by the lines the layout wraps for it', () => {
	const answer = Array.from({length: 80}, (_, i) => `line ${i}`).join('\n\n');
	const s = sources(80, 24, {
		state: 'done', task: 'long', answer, logs: [], history: ['long'],
	});
	const ui: UiState = {...initialUiState, focus: 'prompt'};
	const {agent} = keyContext(ui, s);
	const plan = planScreen(screenOf(s), ui);
	assert.ok(agent);
	assert.equal(agent.page, plan.agentBox - 1);
	assert.ok(agent.lines > agent.page, 'the answer is longer than the pane');
	const paged = press(ui, s, '', {pageDown: true});
	assert.deepEqual(paged.agent.scroll, {key: agent.shown, top: agent.page});
	assert.equal(keyContext(initialUiState, sources(80, 24)).agent, undefined, 'no agent, no agent context');
});
