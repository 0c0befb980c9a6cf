import assert from 'node:assert/strict';
import {test} from 'node:test';
import {createDashboardStore, type DashboardStoreOptions} from '../../source/store/store.js';
import type {LatencySnapshot} from '../../source/store/types.js';
import {FakeClock} from './fake-clock.js';
import {emptyLatency, FakeSupervisor, noStats, server, session} from './fake-supervisor.js';

function setup(options: Partial<DashboardStoreOptions> = {}) {
	const supervisor = new FakeSupervisor();
	supervisor.serverList = [server('fs'), server('search')];
	const clock = new FakeClock();
	let latency: LatencySnapshot = emptyLatency();
	const store = createDashboardStore({
		supervisor, latency: () => latency, clock, ...options,
	});
	let notifications = 0;
	store.subscribe(() => notifications++);
	return {
		supervisor, clock, store,
		notifications: () => notifications,
		setLatency(next: LatencySnapshot) {
			latency = next;
		},
	};
}

test('seeds from the supervisor: servers, open sessions and their stderr', () => {
	const supervisor = new FakeSupervisor();
	supervisor.serverList = [server('fs', {crashes: 2})];
	supervisor.sessionList = [session({id: 'a', server: 'fs'})];
	supervisor.tails.set('a', [{time: 1, line: 'booted'}]);
	const store = createDashboardStore({supervisor, latency: emptyLatency, clock: new FakeClock()});
	const snap = store.getSnapshot();
	assert.deepEqual(snap.servers.map(s => [s.name, s.sessions, s.crashes]), [['fs', 1, 2]]);
	assert.deepEqual(snap.sessions.map(s => s.id), ['a']);
	assert.deepEqual(snap.tails.get('a')?.lines.map(l => l.line), ['booted']);
	store.dispose();
});

test('folds events into a new snapshot after the frame', () => {
	const t = setup();
	const before = t.store.getSnapshot();
	t.supervisor.open({id: 's1', server: 'fs', pid: 11});
	t.supervisor.events.emit('request-started', {
		sessionId: 's1', server: 'fs', id: 1, method: 'tools/call',
	});
	t.supervisor.events.emit('request-finished', {
		sessionId: 's1', server: 'fs', id: 1, method: 'tools/call', durationMs: 5, outcome: 'error',
	});
	t.supervisor.stderr('s1', 'hello');
	assert.equal(t.store.getSnapshot(), before, 'nothing published synchronously');
	t.clock.advance(100);
	const snap = t.store.getSnapshot();
	assert.notEqual(snap, before);
	const row = snap.sessions[0];
	assert.deepEqual([row.id, row.pid, row.requests, row.errors, row.inFlight], ['s1', 11, 1, 1, 0]);
	assert.equal(snap.liveSessions, 1);
	assert.equal(snap.servers.find(s => s.name === 'fs')?.sessions, 1);
	assert.deepEqual(snap.tails.get('s1')?.lines.map(l => [l.seq, l.line]), [[0, 'hello']]);
	assert.equal(t.notifications(), 1);
	t.store.dispose();
});

test('1,000 events in a burst give at most 3 notifications', () => {
	const t = setup();
	t.supervisor.open({id: 's1', server: 'fs'});
	for (let i = 0; i < 1000; i++) {
		t.supervisor.stderr('s1', `line ${i}`);
		if (i % 100 === 0) {
			t.clock.advance(1);
		}
	}

	t.clock.advance(500);
	assert.ok(t.notifications() >= 1 && t.notifications() <= 3, `got ${t.notifications()}`);
	assert.equal(t.store.getSnapshot().tails.get('s1')?.total, 1000);
	t.store.dispose();
});

test('a steady stream of requests is published at most ~15 times a second', () => {
	const t = setup();
	// Hours old, so its age text does not tick during the test.
	t.supervisor.open({id: 's1', server: 'fs', startedAt: t.clock.now() - 7_200_000});
	for (let ms = 0; ms < 1000; ms++) {
		t.supervisor.events.emit('request-finished', {
			sessionId: 's1', server: 'fs', id: ms, method: 'tools/call', durationMs: 1, outcome: 'ok',
		});
		t.clock.advance(1);
	}

	assert.ok(t.notifications() <= 16, `got ${t.notifications()}`);
	assert.ok(t.notifications() >= 10, `got ${t.notifications()}`);
	t.store.dispose();
});

test('the same snapshot object while nothing changes', () => {
	const t = setup();
	const first = t.store.getSnapshot();
	t.clock.advance(10_000);
	assert.equal(t.store.getSnapshot(), first);
	assert.equal(t.notifications(), 0);
	t.store.dispose();
});

test('stderr for a session it does not know is dropped, so no buffer leaks', () => {
	const t = setup();
	t.supervisor.stderr('ghost', 'boo');
	t.clock.advance(100);
	assert.equal(t.notifications(), 0);
	assert.equal(t.store.getSnapshot().tails.has('ghost'), false);
	t.store.dispose();
});

test('the stderr tail is a bounded ring that still counts every line', () => {
	const t = setup({tailLimit: 5});
	t.supervisor.open({id: 's1', server: 'fs'});
	for (let i = 0; i < 12; i++) {
		t.supervisor.stderr('s1', `l${i}`);
	}

	t.clock.advance(100);
	const tail = t.store.getSnapshot().tails.get('s1')!;
	assert.deepEqual(tail.lines.map(l => l.line), ['l7', 'l8', 'l9', 'l10', 'l11']);
	assert.deepEqual(tail.lines.map(l => l.seq), [7, 8, 9, 10, 11]);
	assert.equal(tail.total, 12);
	t.store.dispose();
});

test('stderr of a session not on screen causes no redraw until it is looked at', () => {
	const t = setup();
	t.supervisor.open({id: 'shown', server: 'fs'});
	t.supervisor.open({id: 'hidden', server: 'fs'});
	t.clock.advance(100);
	t.store.watchTail('shown');
	const before = t.notifications();
	for (let i = 0; i < 50; i++) {
		t.supervisor.stderr('hidden', `h${i}`);
	}

	t.clock.advance(100);
	assert.equal(t.notifications(), before, 'hidden lines alone notify nobody');
	t.supervisor.stderr('shown', 'visible');
	t.clock.advance(100);
	assert.equal(t.notifications(), before + 1);
	assert.equal(t.store.getSnapshot().tails.get('hidden')?.total, 50, 'hidden lines were folded in with the visible change');
	t.supervisor.stderr('hidden', 'later');
	t.clock.advance(100);
	t.store.watchTail('hidden');
	t.clock.advance(100);
	assert.equal(t.notifications(), before + 2, 'looking at it publishes what it missed');
	assert.equal(t.store.getSnapshot().tails.get('hidden')?.lines.at(-1)?.line, 'later');
	t.store.dispose();
});

test('a followed tail alone redraws at most 4 times a second', () => {
	const t = setup();
	t.supervisor.open({id: 's1', server: 'fs'});
	t.clock.advance(100);
	t.store.watchTail('s1');
	const before = t.notifications();
	// 100 lines a second for 2 s, 10 ms apart.
	for (let i = 0; i < 200; i++) {
		t.supervisor.stderr('s1', `line ${i}`);
		t.clock.advance(10);
	}

	t.clock.advance(300);
	const published = t.notifications() - before;
	assert.ok(published >= 6 && published <= 9, `${published} redraws in 2 s`);
	assert.equal(t.store.getSnapshot().tails.get('s1')?.total, 200, 'every line is in the last snapshot');
	t.store.dispose();
});

test('a followed chatty tail and the once-a-second figures share one frame budget', () => {
	let cpuSeconds = 0;
	const group = () => [{
		pid: 11, pgid: 11, cpuSeconds, rss: 1024,
	}];
	const readProcesses = {groups: () => new Map([[11, group()]]), one: () => group()[0]};
	const t = setup({readProcesses});
	// Under a minute old, so its age moves every second too.
	t.supervisor.open({id: 's1', server: 'fs', pid: 11});
	t.clock.advance(100);
	t.store.watchTail('s1');
	const before = t.notifications();
	// 100 lines a second for 4 s while the child's CPU figure changes at every sample.
	for (let i = 0; i < 400; i++) {
		t.supervisor.stderr('s1', `line ${i}`);
		cpuSeconds += 0.001 * (i % 7);
		t.clock.advance(10);
	}

	t.clock.advance(300);
	const published = t.notifications() - before;
	assert.ok(published >= 14 && published <= 17, `${published} redraws in 4 s, ages and usage riding along with the tail`);
	const snap = t.store.getSnapshot();
	assert.equal(snap.tails.get('s1')?.total, 400);
	assert.notEqual(snap.usage.get('s1')?.cpu, undefined, 'the figures sampled meanwhile are in the snapshot');
	t.store.dispose();
});

test('closed sessions stay as closed/crashed, newest first, then drop with their tail', () => {
	const t = setup({closedLimit: 2});
	for (const id of ['a', 'b', 'c']) {
		t.supervisor.open({id, server: 'fs'});
	}

	t.supervisor.stderr('a', 'from a');
	t.supervisor.close('a', 'crashed');
	t.supervisor.close('b');
	t.clock.advance(100);
	let snap = t.store.getSnapshot();
	assert.deepEqual(snap.sessions.map(s => [s.id, s.state]), [['c', 'live'], ['b', 'closed'], ['a', 'crashed']]);
	assert.equal(snap.liveSessions, 1);
	assert.equal(snap.servers.find(s => s.name === 'fs')?.crashes, 1);
	assert.notStrictEqual(snap.sessions.find(s => s.id === 'a')?.endedAt, undefined);
	assert.equal(snap.tails.get('a')?.lines[0].line, 'from a');
	t.supervisor.close('c');
	t.clock.advance(100);
	snap = t.store.getSnapshot();
	assert.deepEqual(snap.sessions.map(s => s.id), ['c', 'b']);
	assert.equal(snap.tails.has('a'), false);
	t.store.dispose();
});

test('a closed session keeps the supervisor tail when the store saw none', () => {
	const t = setup();
	t.supervisor.events.emit('session-closed', {
		id: 'x', server: 'fs', reason: 'spawn-failed', state: 'crashed', exitCode: 127, signal: undefined, stderrTail: ['not found'],
	});
	t.clock.advance(100);
	const snap = t.store.getSnapshot();
	assert.equal(snap.sessions[0].state, 'crashed');
	assert.equal(snap.sessions[0].exitCode, 127);
	assert.deepEqual(snap.tails.get('x')?.lines.map(l => l.line), ['not found']);
	t.store.dispose();
});

test('unchanged rows keep their identity across snapshots', () => {
	const t = setup();
	t.supervisor.open({id: 'a', server: 'fs'});
	t.supervisor.open({id: 'b', server: 'search'});
	t.clock.advance(100);
	const before = t.store.getSnapshot();
	t.supervisor.events.emit('request-started', {
		sessionId: 'b', server: 'search', id: 1, method: 'ping',
	});
	t.clock.advance(100);
	const after = t.store.getSnapshot();
	assert.equal(after.sessions[0], before.sessions[0]);
	assert.notEqual(after.sessions[1], before.sessions[1]);
	assert.equal(after.servers[0], before.servers[0], 'fs row reused');
	assert.equal(after.tails.get('a'), before.tails.get('a'));
	t.store.dispose();
});

test('latency refreshes on the tick after activity, and stops while quiet', () => {
	const t = setup();
	let calls = 0;
	const busy: LatencySnapshot = {
		windowSeconds: 60, overall: {
			...noStats, count: 3, rps: 0.05, p50: 4, p95: 9,
		}, servers: {}, sessions: {},
	};
	t.store.dispose();
	const supervisor = new FakeSupervisor();
	const clock = new FakeClock();
	let current = emptyLatency();
	const store = createDashboardStore({supervisor, clock, latency: () => (calls++, current)});
	const callsAtStart = calls;
	clock.advance(5000);
	assert.equal(calls, callsAtStart, 'quiet and no activity: the recorder is not asked');
	supervisor.open({id: 's', server: 'fs'});
	current = busy;
	clock.advance(1000);
	assert.equal(store.getSnapshot().latency.overall.p95, 9);
	const seen = store.getSnapshot();
	clock.advance(3000);
	assert.equal(store.getSnapshot().latency, seen.latency, 'same numbers: same object');
	assert.ok(calls > callsAtStart + 1, 'still sampled while the window holds requests');
	store.dispose();
});

test('an hour-old session does not re-render every second', () => {
	const t = setup();
	t.supervisor.open({id: 'a', server: 'fs', startedAt: t.clock.now() - 3_600_000 - 1000});
	t.clock.advance(100);
	const n = t.notifications();
	t.clock.advance(5000);
	assert.equal(t.notifications(), n);
	t.store.dispose();
});

test('ages refresh only when their text would change', () => {
	const t = setup();
	t.supervisor.open({id: 'a', server: 'fs', startedAt: t.clock.now()});
	t.clock.advance(100);
	const n = t.notifications();
	const before = t.store.getSnapshot().now;
	t.clock.advance(1000);
	assert.equal(t.notifications(), n + 1, 'under a minute, the age ticks each second');
	assert.ok(t.store.getSnapshot().now > before);
	t.store.dispose();
	t.clock.advance(5000);
	assert.equal(t.notifications(), n + 1, 'disposed: no more notifications');
	assert.equal(t.clock.pending, 0, 'disposed: no timers left');
});

test('dispose removes its event listeners', () => {
	const t = setup();
	assert.ok(t.supervisor.events.listenerCount('stderr') > 0);
	t.store.dispose();
	assert.equal(t.supervisor.events.listenerCount('stderr'), 0);
	assert.equal(t.supervisor.events.listenerCount('session-opened'), 0);
});

test('the snapshot holds no UI state: selection lives in the UI', () => {
	const t = setup();
	const keys = Object.keys(t.store.getSnapshot()).sort();
	assert.deepEqual(keys, ['latency', 'liveSessions', 'log', 'now', 'serverUsage', 'servers', 'sessions', 'tails', 'usage']);
	t.store.dispose();
});

test('mcpd log lines land in the log tail', () => {
	const t = setup();
	t.supervisor.events.emit('log', {level: 'warn', message: 'refused', fields: {origin: 'x'}});
	t.clock.advance(100);
	assert.deepEqual(t.store.getSnapshot().log.lines.map(l => l.line), ['warn  refused origin=x']);
	t.store.dispose();
});

test('stderr is stored as plain text: a child cannot recolour or move the cursor', () => {
	const t = setup();
	t.supervisor.open({id: 's1', server: 'fs'});
	t.supervisor.stderr('s1', '\u{1B}[31mred\u{1B}[0m\u{1B}[2J');
	t.clock.advance(100);
	assert.equal(t.store.getSnapshot().tails.get('s1')?.lines[0].line, 'red');
	t.store.dispose();
});

test('session-state updates state, pid and the client named by initialize', () => {
	const t = setup();
	t.supervisor.open({
		id: 's1', server: 'fs', state: 'starting', pid: undefined, clientName: undefined,
	});
	t.supervisor.events.emit('session-state', {
		id: 's1', server: 'fs', state: 'live', pid: 99, clientName: 'claude-code', clientVersion: '2.0', protocolVersion: '2025-06-18',
	});
	t.clock.advance(100);
	const row = t.store.getSnapshot().sessions[0];
	assert.deepEqual([row.state, row.pid, row.clientName, row.clientVersion], ['live', 99, 'claude-code', '2.0']);
	t.store.dispose();
});

test('a quarantine reaches the servers row, with its end, and leaves it again', () => {
	const t = setup();
	t.supervisor.events.emit('server-state', {server: 'search', state: 'quarantined', retryAt: 12_345});
	t.clock.advance(100);
	const row = () => t.store.getSnapshot().servers.find(s => s.name === 'search')!;
	assert.deepEqual([row().state, row().retryAt], ['quarantined', 12_345]);
	t.supervisor.events.emit('server-state', {server: 'search', state: 'ready'});
	t.clock.advance(100);
	assert.deepEqual([row().state, row().retryAt], ['ready', undefined]);
	t.store.dispose();
});

test('a server quarantined before the dashboard started is shown so from the start', () => {
	const supervisor = new FakeSupervisor();
	supervisor.serverList = [server('fs', {
		state: 'quarantined', retryAt: 99_000, crashes: 5, failures: 5,
	})];
	const store = createDashboardStore({supervisor, latency: emptyLatency, clock: new FakeClock()});
	assert.deepEqual(store.getSnapshot().servers.map(s => [s.name, s.state, s.retryAt]), [['fs', 'quarantined', 99_000]]);
	store.dispose();
});

test('with a /proc reader, each tick samples live children: usage by session and by server, a snapshot only when a figure moves', () => {
	let cpuSeconds = 0;
	let rss = 10 * 1024 * 1024;
	const all = () => new Map([[11, [{
		pid: 11, pgid: 11, cpuSeconds, rss,
	}, {
		pid: 12, pgid: 11, cpuSeconds: 0, rss,
	}]], [22, [{
		pid: 22, pgid: 22, cpuSeconds: 0, rss: 1024,
	}]]]);
	const readProcesses = {groups: all, one: (pid: number) => [...all().values()].flat().find(s => s.pid === pid)};
	const t = setup({readProcesses});
	t.supervisor.open({id: 's1', server: 'fs', pid: 11});
	t.supervisor.open({id: 's2', server: 'fs', pid: 22});
	t.clock.advance(1000);
	let snap = t.store.getSnapshot();
	assert.deepEqual(snap.usage.get('s1'), {cpu: undefined, rss: 2 * rss, processes: 2});
	cpuSeconds = 0.5;
	t.clock.advance(1000);
	snap = t.store.getSnapshot();
	assert.equal(snap.usage.get('s1')?.cpu, 50);
	assert.deepEqual(snap.serverUsage.get('fs'), {cpu: 50, rss: 2 * rss + 1024, processes: 3});
	const notified = t.notifications();
	cpuSeconds = 1;
	rss += 100;
	t.clock.advance(1000);
	assert.equal(t.notifications(), notified, 'same CPU %, a few bytes more: nothing to redraw');
	t.store.dispose();
});

test('without a /proc reader nothing is sampled', () => {
	const t = setup();
	t.supervisor.open({id: 's1', server: 'fs', pid: process.pid});
	t.clock.advance(3000);
	assert.equal(t.store.getSnapshot().usage.size, 0);
	t.store.dispose();
});
