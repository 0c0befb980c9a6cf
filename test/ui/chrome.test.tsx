import assert from 'node:assert/strict';
import {test} from 'node:test';
import React from 'react';
import {createDashboardStore} from '../../source/store/store.js';
import {fitRanked} from '../../source/ui/fit-ranked.js';
import {Footer} from '../../source/ui/panes/footer.js';
import {Header} from '../../source/ui/panes/header.js';
import {initialUiState, type Pane} from '../../source/ui/state/ui-state.js';
import {emptyLatency, FakeSupervisor, server} from '../store/fake-supervisor.js';
import {renderAt} from '../helpers/render-at.js';

const sizes = [80, 120, 60, 40];

/**
At the real width: ink-testing-library's stdout is 100 columns, whatever the test asks for.
*/
function footer(width: number, focus: Pane = 'sessions', readOnly = false): string {
	const r = renderAt(<Footer ui={{...initialUiState, focus}} readOnly={readOnly} width={width} />, width, 24);
	const frame = r.lastFrame();
	r.unmount();
	return frame;
}

test('fitRanked keeps the best ranked whole items in their order; rank 0 always', () => {
	const items = [{id: 'a', width: 4, rank: 0}, {id: 'b', width: 4, rank: 3}, {id: 'c', width: 4, rank: 1}, {id: 'd', width: 4, rank: 0}];
	assert.deepEqual(fitRanked(items, 16, 1).map(i => i.id), ['a', 'c', 'd']);
	assert.deepEqual(fitRanked(items, 19, 1).map(i => i.id), ['a', 'b', 'c', 'd']);
	assert.deepEqual(fitRanked(items, 3, 1).map(i => i.id), ['a', 'd'], 'what is never dropped stays even when it overflows');
});

test('footer: at every width help comes first and quit last, never cut; hints are dropped whole', () => {
	for (const width of sizes) {
		for (const focus of ['servers', 'sessions', 'tail', 'prompt'] as const) {
			const line = footer(width, focus);
			assert.match(line, /^\? help/, `${focus} at ${width}`);
			assert.match(line, /q quit$/, `${focus} at ${width}: ${line}`);
			assert.ok(line.length <= width, `${focus} at ${width}: ${line}`);
			assert.doesNotMatch(line, /…/);
		}
	}

	const wide = footer(120);
	const narrow = footer(80);
	assert.match(wide, /x kill/);
	assert.match(narrow, /x kill/, 'killing outranks paging hints');
	assert.ok(narrow.split('  ').length < wide.split('  ').length, 'fewer hints at 80 than at 120');
	assert.equal(footer(40), '? help  Enter open  x kill  q quit');
	assert.equal(footer(25), '? help  x kill  q quit');
	assert.match(footer(40, 'sessions', true), /^read-only {2}\? help .*q quit$/);
});

test('header: a narrow one drops whole figures, the least useful first, and keeps FOLLOW', () => {
	const supervisor = new FakeSupervisor();
	supervisor.serverList = [server('fs'), server('git')];
	const store = createDashboardStore({supervisor, latency: emptyLatency});
	const snapshot = store.getSnapshot();
	const info = {version: '0.1.0', url: 'http://127.0.0.1:3111', readOnly: false};
	const at = (width: number) => {
		const r = renderAt(<Header info={info} snapshot={snapshot} follow width={width} />, width, 24);
		const frame = r.lastFrame();
		r.unmount();
		return frame;
	};

	assert.match(at(120), /^mcpd 0\.1\.0 {2}127\.0\.0\.1:3111 {2}2 srv {2}0 live {2}p50 - p95 - {2}0 req\/s +FOLLOW$/);
	const at60 = at(60);
	assert.match(at60, /^mcpd 0\.1\.0 {2}127\.0\.0\.1:3111 {2}0 live {2}p50 - p95 - +FOLLOW$/);
	assert.match(at(40), /^mcpd 0\.1\.0 {2}0 live {2}p50 - p95 - +FOLLOW$/);
	for (const width of sizes) {
		assert.doesNotMatch(at(width), /…/);
	}

	store.dispose();
});
