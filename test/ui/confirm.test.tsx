import assert from 'node:assert/strict';
import {afterEach, test} from 'node:test';
import {cleanup, render} from 'ink-testing-library';
import React from 'react';
import {waitFor, waitForFrame} from '../helpers/ink-wait.js';
import {keys} from '../helpers/render-at.js';
import {id, short, world} from './world.js';

let stores: Array<{dispose(): void}> = [];
afterEach(() => {
	cleanup();
	for (const s of stores) {
		s.dispose();
	}

	stores = [];
});

async function mount(options: Parameters<typeof world>[0] = {}) {
	const w = world({sessions: 3, ...options});
	stores.push(w.store);
	const r = render(w.element);
	const frame = () => r.lastFrame() ?? '';
	await waitForFrame(frame, short(2));
	return {...w, r, frame};
}

test('x names id, server, pid and age; n cancels without killing', async () => {
	const {r, frame, supervisor} = await mount();
	r.stdin.write('j');
	await waitForFrame(frame, `› ${short(1)}`);
	r.stdin.write('x');
	const shown = await waitForFrame(frame, 'Kill session');
	assert.match(shown, new RegExp(String.raw`Kill session ${short(1)} · search · pid 1001 · age \d+s\?  y yes · any other key no`));
	r.stdin.write('n');
	await waitForFrame(frame, '? help');
	assert.deepEqual(supervisor.kills, []);
});

test('Esc cancels too', async () => {
	const {r, frame, supervisor} = await mount();
	r.stdin.write('x');
	await waitForFrame(frame, 'Kill session');
	r.stdin.write(keys.escape);
	await waitForFrame(frame, '? help');
	assert.deepEqual(supervisor.kills, []);
});

test('y kills the session it named with SIGTERM', async () => {
	const {r, frame, supervisor} = await mount();
	r.stdin.write('x');
	await waitForFrame(frame, 'Kill session');
	r.stdin.write('y');
	await waitFor(() => supervisor.kills.length === 1, {message: 'a kill'});
	assert.deepEqual(supervisor.kills, [{id: id(0), force: false}]);
	await waitForFrame(frame, `SIGTERM sent to ${short(0)}`);
});

test('X then y is a force kill', async () => {
	const {r, frame, supervisor} = await mount();
	r.stdin.write('X');
	await waitForFrame(frame, 'Force kill (SIGKILL)');
	r.stdin.write('y');
	await waitFor(() => supervisor.kills.length === 1, {message: 'a kill'});
	assert.deepEqual(supervisor.kills, [{id: id(0), force: true}]);
});

test('x and y in one chunk still confirm (no stale handler)', async () => {
	const {r, supervisor} = await mount();
	r.stdin.write('xy');
	await waitFor(() => supervisor.kills.length === 1, {message: 'a kill'});
});

test('the session closing while the dialog is up: "session already closed", no kill', async () => {
	const {r, frame, supervisor} = await mount();
	r.stdin.write('x');
	await waitForFrame(frame, 'Kill session');
	supervisor.close(id(0));
	await waitForFrame(frame, /Sessions 2 open/);
	r.stdin.write('y');
	await waitForFrame(frame, 'session already closed');
	assert.deepEqual(supervisor.kills, []);
});

test('the supervisor not finding it: "session already closed"', async () => {
	const {r, frame, supervisor} = await mount();
	supervisor.killResult = 'not-found';
	r.stdin.write('x');
	await waitForFrame(frame, 'Kill session');
	r.stdin.write('y');
	await waitForFrame(frame, 'session already closed');
	assert.equal(supervisor.kills.length, 1);
});

test('r then y restarts the selected session\'s server', async () => {
	const {r, frame, supervisor} = await mount();
	r.stdin.write('r');
	await waitForFrame(frame, /Restart fs: end its 2 open sessions\?/);
	r.stdin.write('y');
	await waitFor(() => supervisor.restarts.length === 1, {message: 'a restart'});
	assert.deepEqual(supervisor.restarts, ['fs']);
	await waitForFrame(frame, 'restarted fs');
});

test('read-only: x X r do nothing but say so, and the footer says read-only', async () => {
	const {r, frame, supervisor} = await mount({readOnly: true});
	assert.match(frame(), /read-only/);
	assert.doesNotMatch(frame(), /x kill/);
	for (const k of ['x', 'X', 'r']) {
		r.stdin.write(k);
		await waitForFrame(frame, 'read-only: x, X and r are disabled');
		assert.doesNotMatch(frame(), /Kill session|Restart/);
	}

	assert.deepEqual(supervisor.kills, []);
	assert.deepEqual(supervisor.restarts, []);
});
