import assert from 'node:assert/strict';
import {test} from 'node:test';
import {cell, fitColumns, rowWidth} from '../../source/ui/columns.js';
import {layoutKind, planLayout} from '../../source/ui/layout.js';
import {windowStart} from '../../source/ui/hooks/use-window-start.js';

test('layout kinds by size', () => {
	assert.equal(layoutKind(80, 24), 'standard');
	assert.equal(layoutKind(120, 40), 'wide');
	assert.equal(layoutKind(119, 40), 'standard');
	assert.equal(layoutKind(120, 39), 'standard');
	assert.equal(layoutKind(60, 20), 'compact');
	assert.equal(layoutKind(100, 19), 'compact');
	assert.equal(layoutKind(50, 12), 'compact');
	assert.equal(layoutKind(49, 30), 'tiny');
	assert.equal(layoutKind(40, 10), 'tiny');
});

test('standard budgets add up to rows - 1', () => {
	for (const rows of [20, 24, 33, 50]) {
		const plan = planLayout(80, rows, {zoom: false, focus: 'sessions', serverCount: 3});
		assert.equal(plan.kind, 'standard');
		if (plan.kind !== 'standard') {
			continue;
		}

		assert.equal(4 + plan.sessionsBox + plan.tailBox, rows - 1);
	}

	const at80 = planLayout(80, 24, {zoom: false, focus: 'sessions', serverCount: 3});
	assert.deepEqual(at80.pages, {servers: 18, sessions: 8, tail: 8});
});

test('zoom gives the focused pane the whole body', () => {
	const plan = planLayout(80, 24, {zoom: true, focus: 'tail', serverCount: 3});
	assert.equal(plan.pages.tail, 18);
});

test('wide budgets add up to rows - 1', () => {
	const plan = planLayout(120, 40, {zoom: false, focus: 'sessions', serverCount: 3});
	assert.equal(plan.kind, 'wide');
	if (plan.kind !== 'wide') {
		return;
	}

	assert.equal(1 + plan.sessionsBox + plan.tailBox + 3 + 1, 39);
	assert.equal(plan.serversBox + plan.latencyBox, plan.body);
	assert.equal(plan.leftWidth, 36);
});

test('columns fit the width and drop by priority', () => {
	for (const width of [50, 60, 70, 80, 100, 117]) {
		assert.ok(rowWidth(fitColumns(width)) <= width, `width ${width}`);
	}

	const ids = (width: number) => fitColumns(width).map(c => c.id);
	assert.deepEqual(ids(80), ['id', 'state', 'server', 'client', 'age', 'reqs', 'p50', 'p95', 'pid']);
	assert.ok(!ids(60).includes('pid'));
	assert.deepEqual(ids(50), ['id', 'state', 'server', 'reqs', 'p50', 'p95']);
	assert.deepEqual(ids(30), ['id', 'state', 'server', 'p95']);
	assert.deepEqual(ids(25), ['id', 'state', 'server']);
	assert.equal(fitColumns(25).find(c => c.id === 'state')?.width, 1, 'the glyph survives');
	const usage = (width: number) => fitColumns(width, 'usage').map(c => c.id);
	for (const width of [25, 50, 60, 70, 80, 100, 117]) {
		assert.ok(rowWidth(fitColumns(width, 'usage')) <= width, `usage at ${width}`);
	}

	assert.deepEqual(usage(80), ['id', 'state', 'server', 'client', 'age', 'reqs', 'cpu', 'mem', 'pid']);
	assert.deepEqual(usage(50), ['id', 'state', 'server', 'reqs', 'cpu', 'mem']);
	assert.deepEqual(usage(30), ['id', 'state', 'server', 'cpu']);
	assert.deepEqual(fitColumns(81).map(c => c.id), ['id', 'state', 'server', 'client', 'age', 'reqs', 'p50', 'p95', 'cpu', 'mem', 'pid'], 'the wide layout\'s 81 columns hold both');
});

test('cell pads and cuts with an ellipsis', () => {
	assert.equal(cell('ab', 4, 'left'), 'ab  ');
	assert.equal(cell('ab', 4, 'right'), '  ab');
	assert.equal(cell('abcdef', 4, 'left'), 'abc…');
});

test('the list window moves only as far as needed to keep the selection visible', () => {
	assert.equal(windowStart(0, 0, 20, 5), 0);
	assert.equal(windowStart(0, 4, 20, 5), 0);
	assert.equal(windowStart(0, 5, 20, 5), 1);
	assert.equal(windowStart(10, 12, 20, 5), 10);
	assert.equal(windowStart(10, 8, 20, 5), 8);
	assert.equal(windowStart(10, 3, 6, 5), 1, 'clamped when the list shrinks');
});

test('the agent pane: in place of the tail at 80×24, in a taller prompt box when wide, the body when compact', () => {
	const standard = planLayout(80, 24, {
		zoom: false, focus: 'prompt', serverCount: 3, agent: true,
	});
	assert.equal(standard.kind, 'standard');
	if (standard.kind === 'standard') {
		assert.deepEqual([standard.sessionsBox, standard.agentBox, standard.tailBox], [5, 14, 0]);
		assert.equal(4 + standard.sessionsBox + standard.agentBox, 23);
	}

	const zoomed = planLayout(80, 24, {
		zoom: true, focus: 'prompt', serverCount: 3, agent: true,
	});
	assert.equal(zoomed.agentBox, 19);
	const wide = planLayout(120, 40, {
		zoom: false, focus: 'prompt', serverCount: 3, agent: true,
	});
	assert.equal(wide.kind, 'wide');
	if (wide.kind === 'wide') {
		assert.equal(wide.agentBox, 10);
		assert.equal(1 + wide.body + wide.promptBox + 1, 39);
	}

	const compact = planLayout(60, 20, {
		zoom: false, focus: 'prompt', serverCount: 3, agent: true,
	});
	assert.equal(compact.kind === 'compact' && compact.body - compact.agentBox, 1, 'the prompt line over it');
	assert.equal(planLayout(80, 24, {zoom: false, focus: 'sessions', serverCount: 3}).agentBox, 0);
});
