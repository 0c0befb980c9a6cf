import assert from 'node:assert/strict';
import {afterEach, test} from 'node:test';
import React from 'react';
import {waitForFrame} from '../helpers/ink-wait.js';
import {keys, renderAt, type Rendered} from '../helpers/render-at.js';
import {mountDashboard} from '../../source/ui/mount.js';
import {id, short, world} from './world.js';

let cleanups: Array<() => void> = [];
afterEach(() => {
	for (const c of cleanups) {
		c();
	}

	cleanups = [];
});

function mount(columns: number, rows: number, options: Parameters<typeof world>[0] = {}) {
	const w = world(options);
	const r = renderAt(w.element, columns, rows, mountDashboard);
	cleanups.push(() => {
		r.unmount();
		w.store.dispose();
	});
	return {...w, r};
}

/**
Every frame Ink wrote, not just the last, fits in the rows - 1 of its moment.
*/
function assertFits(r: Rendered) {
	for (const [i, frame] of r.stdout.frames.entries()) {
		const {rows} = r.stdout.sizes[i];
		assert.ok(frame.split('\n').length <= rows - 1, `frame ${i}: ${frame.split('\n').length} lines at ${rows} rows:\n${frame}`);
	}
}

test('80×24: header, servers strip, sessions, tail, prompt and footer in 23 lines', async () => {
	const {r} = mount(80, 24);
	const frame = await waitForFrame(r.lastFrame, 'first session line 29');
	assert.equal(r.height(), 23);
	const lines = frame.split('\n');
	assert.match(lines[0], /^mcpd 0\.1\.0 {2}127\.0\.0\.1:8080 {2}3 srv {2}12 live .*FOLLOW$/);
	assert.match(lines[1], /● fs 6 {2}● search 6 crashed\(3\) {2}○ git 0/);
	assert.match(frame, /› Sessions 12 open/);
	assert.match(frame, new RegExp(`› ${short(0)} ● live`));
	assert.match(frame, new RegExp(`  ${short(7)} ● live`));
	assert.doesNotMatch(frame, new RegExp(short(8)), 'the table is windowed to its 8 rows');
	assert.match(frame, /stderr 00aaaaaa · fs · pid 1000 {2}FOLLOW/);
	assert.match(lines.at(-2)!, /no agent server configured/);
	assert.match(lines.at(-1)!, /^\? help .* q quit$/, 'the footer keeps quit at 80 columns');
	assertFits(r);
});

test('monochrome: no escape codes with FORCE_COLOR=0, the selection still shows as ›', async () => {
	const {r} = mount(80, 24);
	const frame = await waitForFrame(r.lastFrame, 'first session line');
	assert.doesNotMatch(frame, /\u001B\[/);
	assert.equal(frame.split('\n').filter(l => l.startsWith(`› ${short(0)}`)).length, 1);
});

test('120×40: servers and latency on the left, sessions and tail on the right, bordered', async () => {
	const {r} = mount(120, 40);
	const frame = await waitForFrame(r.lastFrame, 'first session line 29');
	assert.equal(r.height(), 39);
	const row = frame.split('\n').find(l => l.includes('Servers 3'))!;
	assert.ok(row.indexOf('Servers 3') < row.indexOf('Sessions 12 open'), 'servers left of sessions');
	assert.match(frame, /Latency \(60s\)/);
	assert.match(frame, /╭/);
	assert.match(frame, new RegExp(short(11)), 'room for every session');
	assert.match(frame, /P50 +P95 +CPU% +MEM +PID/, 'the wide layout shows latency and cost together');
	assertFits(r);
});

test('60×20: one pane at a time behind a tab line; 3 shows the tail', async () => {
	const {r} = mount(60, 20);
	let frame = await waitForFrame(r.lastFrame, '›2 Ses');
	assert.match(frame, /1 Srv/);
	assert.doesNotMatch(frame, /first session line/);
	assert.doesNotMatch(frame, /PID/, 'PID is the first column to go');
	r.press('3');
	frame = await waitForFrame(r.lastFrame, 'first session line 29');
	assert.match(frame, /›3 Log/);
	assert.doesNotMatch(frame, new RegExp(short(1)));
	assert.ok(r.height() <= 19);
	assertFits(r);
});

test('40×10: one line asking for more room', async () => {
	const {r} = mount(40, 10);
	const frame = await waitForFrame(r.lastFrame, 'mcpd needs');
	assert.equal(frame, 'mcpd needs ≥ 50×12 (now 40×10)');
});

test('resizing re-lays out at once', async () => {
	const {r} = mount(80, 24);
	await waitForFrame(r.lastFrame, 'first session line');
	r.stdout.resize(120, 40);
	await waitForFrame(r.lastFrame, 'Latency (60s)');
	assert.ok(r.height() <= 39);
	r.stdout.resize(40, 10);
	await waitForFrame(r.lastFrame, 'mcpd needs ≥ 50×12 (now 40×10)');
	r.stdout.resize(60, 20);
	await waitForFrame(r.lastFrame, '›2 Ses');
	assert.ok(r.height() <= 19);
	r.stdout.resize(80, 24);
	await waitForFrame(r.lastFrame, 'first session line');
	assert.equal(r.height(), 23);
	assertFits(r);
});

test('events show up live: a new session, a crash, new stderr', async () => {
	const {r, supervisor} = mount(80, 24, {sessions: 2});
	await waitForFrame(r.lastFrame, short(1));
	supervisor.open({id: 'ffffffff-1', server: 'git', pid: 77});
	await waitForFrame(r.lastFrame, /ffffffff ● live +git/);
	supervisor.close('01aaaaaa-0000-4000-8000-000000000000', 'crashed');
	await waitForFrame(r.lastFrame, new RegExp(`${short(1)} ✖ crashed`));
	supervisor.stderr('00aaaaaa-0000-4000-8000-000000000000', 'brand new line');
	await waitForFrame(r.lastFrame, 'brand new line');
	assertFits(r);
});

test('j moves the selection and the tail follows it; a chunk jjj moves three', async () => {
	const {r, supervisor} = mount(80, 24);
	supervisor.stderr('03aaaaaa-0000-4000-8000-000000000000', 'from the fourth');
	await waitForFrame(r.lastFrame, 'first session line');
	r.press('j');
	await waitForFrame(r.lastFrame, new RegExp(`› ${short(1)}`));
	r.press('jj');
	const frame = await waitForFrame(r.lastFrame, new RegExp(`› ${short(3)}`));
	assert.match(frame, /stderr 03aaaaaa/);
	await waitForFrame(r.lastFrame, 'from the fourth');
});

test('the selection stays on its session when a row above it goes away', async () => {
	const {r, supervisor} = mount(80, 24, {sessions: 4});
	await waitForFrame(r.lastFrame, short(3));
	r.press('jj');
	await waitForFrame(r.lastFrame, new RegExp(`› ${short(2)}`));
	supervisor.close('00aaaaaa-0000-4000-8000-000000000000');
	const frame = await waitForFrame(r.lastFrame, /Sessions 3 open/);
	assert.match(frame, new RegExp(`› ${short(2)}`));
});

test('? shows help generated from the keymap; any key closes it', async () => {
	const {r} = mount(80, 24);
	await waitForFrame(r.lastFrame, 'first session line');
	r.press('?');
	let frame = await waitForFrame(r.lastFrame, 'Keys');
	assert.match(frame, /kill session/);
	assert.ok(r.height() <= 23);
	r.press('q');
	frame = await waitForFrame(r.lastFrame, 'first session line');
	assert.doesNotMatch(frame, /kill session/);
});

test('/ filters the table live; Esc clears it', async () => {
	const {r} = mount(80, 24);
	await waitForFrame(r.lastFrame, 'first session line');
	r.press('/');
	await waitForFrame(r.lastFrame, /Enter keep/);
	r.press('client-1');
	let frame = await waitForFrame(r.lastFrame, /Sessions 3 open/);
	assert.match(frame, new RegExp(short(10)));
	assert.doesNotMatch(frame, new RegExp(short(2)));
	r.press(keys.enter);
	frame = await waitForFrame(r.lastFrame, /\? help/);
	assert.match(frame, /\/client-1/);
	r.press(keys.escape);
	await waitForFrame(r.lastFrame, /Sessions 12 open/);
});

test('scrolling the tail up pauses it; new lines are counted; G resumes', async () => {
	const {r, supervisor} = mount(80, 24);
	await waitForFrame(r.lastFrame, 'first session line 29');
	r.press('3', 'k');
	await waitForFrame(r.lastFrame, /PAUSED \+0 new/);
	supervisor.stderr('00aaaaaa-0000-4000-8000-000000000000', 'while paused');
	let frame = await waitForFrame(r.lastFrame, /PAUSED \+1 new/);
	assert.doesNotMatch(frame, /while paused/);
	assert.match(frame.split('\n', 1)[0], /PAUSED$/);
	r.press('G');
	frame = await waitForFrame(r.lastFrame, 'while paused');
	assert.match(frame, /FOLLOW/);
});

test('Ctrl+C once warns in the footer, twice quits via onQuit', async () => {
	const w = mount(80, 24);
	await waitForFrame(w.r.lastFrame, 'first session line');
	w.r.press(keys.ctrlC);
	await waitForFrame(w.r.lastFrame, 'Ctrl+C again to quit');
	assert.equal(w.quits(), 0);
	w.r.press(keys.ctrlC);
	const {waitFor} = await import('../helpers/ink-wait.js');
	await waitFor(() => w.quits() === 1, {message: 'onQuit'});
});

test('q with live sessions asks first; any key but y stays', async () => {
	const w = mount(80, 24);
	await waitForFrame(w.r.lastFrame, 'first session line');
	w.r.press('q');
	await waitForFrame(w.r.lastFrame, /12 open sessions will be closed\. Quit\?/);
	w.r.press('n');
	await waitForFrame(w.r.lastFrame, /\? help/);
	assert.equal(w.quits(), 0);
});

test('every mode and pane fits rows - 1 at every size', async () => {
	for (const [columns, rows] of [[80, 24], [120, 40], [60, 20], [50, 12], [100, 19]] as const) {
		const {r} = mount(columns, rows);
		await waitForFrame(r.lastFrame, 'mcpd 0.1.0');
		const steps: Array<[string, RegExp]> = [
			['?', /Keys/],
			[keys.escape, /help/],
			['z', /./],
			['z', /./],
			['1', /./],
			[keys.enter, /server fs/],
			['/', /Enter keep/],
			['x', /\/x/],
			[keys.escape, /help/],
			['3', /./],
			['w', /wrap/],
			['t', /./],
			['z', /./],
			['k', /PAUSED/],
			['G', /FOLLOW/],
			['2', /./],
			['x', /Kill session/],
			['n', /help/],
			['p', /no agent/],
		];
		for (const [input, expected] of steps) {
			r.press(input);
			await waitForFrame(r.lastFrame, expected);
		}

		assertFits(r);
	}
});

test('Space freezes the screen: new lines wait, counted in the header, and show on thaw', async () => {
	const {r, supervisor} = mount(80, 24);
	await waitForFrame(r.lastFrame, 'first session line 29');
	r.press(' ');
	await waitForFrame(r.lastFrame, /FROZEN \+0 FOLLOW$/m);
	supervisor.stderr(id(0), 'arrived while frozen');
	const frozen = await waitForFrame(r.lastFrame, /FROZEN \+[1-9]\d* FOLLOW$/m);
	assert.doesNotMatch(frozen, /arrived while frozen/);
	assert.match(frozen, /first session line 29/);
	r.press(' ');
	const thawed = await waitForFrame(r.lastFrame, 'arrived while frozen');
	assert.doesNotMatch(thawed, /FROZEN/);
	assertFits(r);
});
