import assert from 'node:assert/strict';
import {test} from 'node:test';
import {LatencyRecorder, MAX_MS, OTHER_METHOD, RELATIVE_ERROR, type Stats} from '../../../source/core/metrics/index.js';

// Epoch ms at a whole second, far from 0 so nothing depends on small numbers.
const T0 = 1_700_000_000_000;

/**
The histogram's bound plus the snapshot's rounding to three significant digits.
*/
const TOLERANCE = RELATIVE_ERROR + 0.005;

function near(actual: number | null, expected: number, label = ''): void {
	assert.ok(actual !== null && Math.abs(actual - expected) <= expected * TOLERANCE, `${label} ${actual} ≉ ${expected}`);
}

function exactQuantile(sorted: number[], q: number): number {
	return sorted[Math.max(1, Math.ceil(q * sorted.length)) - 1];
}

test('uniform 1..1000 ms gives p50 ≈ 500, p95 ≈ 950, p99 ≈ 990 and the exact max', () => {
	const recorder = new LatencyRecorder();
	for (let ms = 1; ms <= 1000; ms++) {
		recorder.record('fs', 's1', 'tools/call', ms, true, T0 + ms);
	}

	const snapshot = recorder.snapshot(T0 + 1001);
	for (const stats of [snapshot.overall, snapshot.servers.fs, snapshot.servers.fs.methods['tools/call'], snapshot.sessions.s1]) {
		assert.equal(stats.count, 1000);
		near(stats.p50, 500, 'p50');
		near(stats.p95, 950, 'p95');
		near(stats.p99, 990, 'p99');
		assert.equal(stats.max, 1000);
	}
});

test('a spread-out distribution matches exact nearest-rank quantiles within the stated precision', () => {
	// Deterministic LCG; log-uniform from 0.02 ms to 60 s.
	let seed = 42;
	const random = () => {
		seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
		return seed / 2 ** 31;
	};

	const recorder = new LatencyRecorder();
	const values: number[] = [];
	for (let i = 0; i < 20_000; i++) {
		const ms = 0.02 * 3_000_000 ** random();
		values.push(ms);
		recorder.record('s', 'a', 'm', ms, true, T0 + i);
	}

	values.sort((a, b) => a - b);
	const {overall} = recorder.snapshot(T0 + 20_000);
	near(overall.p50, exactQuantile(values, 0.5), 'p50');
	near(overall.p95, exactQuantile(values, 0.95), 'p95');
	near(overall.p99, exactQuantile(values, 0.99), 'p99');
	near(overall.max, values.at(-1)!, 'max');
});

test('a single value is reported exactly, not as its bucket midpoint', () => {
	const recorder = new LatencyRecorder();
	recorder.record('s', 'a', 'm', 12.3, true, T0);
	const {overall} = recorder.snapshot(T0);
	assert.deepEqual([overall.p50, overall.p95, overall.p99, overall.max], [12.3, 12.3, 12.3, 12.3]);
});

test('records older than the window drop out', () => {
	const recorder = new LatencyRecorder({windowSeconds: 60});
	recorder.record('fs', 's1', 'tools/call', 100, true, T0 + 500);
	recorder.record('fs', 's1', 'tools/call', 10, false, T0 + 30_000);

	let snapshot = recorder.snapshot(T0 + 59_999);
	assert.equal(snapshot.overall.count, 2);
	assert.equal(snapshot.overall.max, 100);

	// Second T0/1000 has left (T0/1000, T0/1000 + 60].
	snapshot = recorder.snapshot(T0 + 60_000);
	assert.equal(snapshot.overall.count, 1);
	assert.equal(snapshot.overall.max, 10);
	assert.equal(snapshot.servers.fs.methods['tools/call'].count, 1);

	snapshot = recorder.snapshot(T0 + 90_000);
	assert.equal(snapshot.overall.count, 0);
	assert.deepEqual(snapshot.overall, {
		count: 0, rps: 0, errorsPerSec: 0, p50: null, p95: null, p99: null, max: null, series: Array.from({length: 30}, () => 0),
	});
	// Servers stay listed; idle methods and sessions are reclaimed.
	assert.equal(snapshot.servers.fs.count, 0);
	assert.deepEqual(snapshot.servers.fs.methods, {});
	assert.deepEqual(snapshot.sessions, {});
});

test('a record stamped before the window is ignored, one inside it counts', () => {
	const recorder = new LatencyRecorder({windowSeconds: 10, seriesSeconds: 5});
	recorder.record('s', 'a', 'm', 1, true, T0 + 20_000);
	recorder.record('s', 'a', 'm', 2, true, T0 + 15_000);
	recorder.record('s', 'a', 'm', 3, true, T0 + 5000);
	assert.equal(recorder.snapshot(T0 + 20_000).overall.count, 2);
});

test('rps and errors/s divide by the window once it is full', () => {
	const recorder = new LatencyRecorder({windowSeconds: 60});
	// Two requests a second for two minutes; every fourth fails.
	let n = 0;
	for (let ms = 0; ms < 120_000; ms += 500) {
		recorder.record('fs', `s${n % 3}`, 'tools/call', 5, n % 4 !== 3, T0 + ms);
		n++;
	}

	const snapshot = recorder.snapshot(T0 + 119_999);
	assert.equal(snapshot.overall.count, 120);
	assert.equal(snapshot.overall.rps, 2);
	assert.equal(snapshot.overall.errorsPerSec, 0.5);
	assert.equal(snapshot.servers.fs.rps, 2);
	const sessions = Object.values(snapshot.sessions);
	assert.equal(sessions.length, 3);
	assert.equal(sessions.reduce((sum, stats) => sum + stats.count, 0), 120);
	for (const stats of sessions) {
		assert.equal(stats.rps, 0.667);
	}
});

test('rps in the first seconds divides by the time actually watched', () => {
	const recorder = new LatencyRecorder();
	recorder.snapshot(T0); // Start of the watch.
	for (let i = 0; i < 50; i++) {
		recorder.record('fs', 's1', 'tools/call', 5, i % 10 !== 0, T0 + i * 100);
	}

	const {overall} = recorder.snapshot(T0 + 5000);
	assert.equal(overall.rps, 10);
	assert.equal(overall.errorsPerSec, 1);
	// Never divides by less than a second.
	const fresh = new LatencyRecorder();
	fresh.record('fs', 's1', 'tools/call', 5, true, T0);
	assert.equal(fresh.snapshot(T0 + 1).overall.rps, 1);
});

test('servers, methods, sessions and overall each see their own share', () => {
	const recorder = new LatencyRecorder();
	recorder.record('fs', 'a', 'tools/call', 10, true, T0);
	recorder.record('fs', 'a', 'tools/list', 1, true, T0);
	recorder.record('fs', 'b', 'tools/call', 30, false, T0);
	recorder.record('git', 'c', 'tools/call', 100, true, T0);

	const snapshot = recorder.snapshot(T0 + 500);
	assert.equal(snapshot.overall.count, 4);
	assert.equal(snapshot.overall.max, 100);
	assert.equal(snapshot.servers.fs.count, 3);
	assert.equal(snapshot.servers.fs.max, 30);
	assert.equal(snapshot.servers.fs.methods['tools/call'].count, 2);
	assert.equal(snapshot.servers.fs.methods['tools/list'].count, 1);
	assert.equal(snapshot.servers.git.count, 1);
	assert.deepEqual(Object.keys(snapshot.servers.git.methods), ['tools/call']);
	assert.deepEqual(Object.keys(snapshot.sessions).sort(), ['a', 'b', 'c']);
	assert.equal(snapshot.sessions.a.count, 2);
	assert.equal(snapshot.sessions.b.max, 30);
});

test('forgetSession drops the session at once and leaves the aggregates alone', () => {
	const recorder = new LatencyRecorder();
	recorder.record('fs', 'a', 'tools/call', 10, true, T0);
	recorder.record('fs', 'b', 'tools/call', 20, true, T0);
	recorder.forgetSession('a');
	recorder.forgetSession('never-seen');

	let snapshot = recorder.snapshot(T0 + 100);
	assert.deepEqual(Object.keys(snapshot.sessions), ['b']);
	assert.equal(snapshot.overall.count, 2);
	assert.equal(snapshot.servers.fs.count, 2);

	// A later record starts the session afresh.
	recorder.record('fs', 'a', 'tools/call', 5, true, T0 + 200);
	snapshot = recorder.snapshot(T0 + 300);
	assert.equal(snapshot.sessions.a.count, 1);
	assert.equal(snapshot.sessions.a.max, 5);
});

test('forgetServer drops a server, its requests age out of overall', () => {
	const recorder = new LatencyRecorder();
	recorder.record('fs', 'a', 'tools/call', 10, true, T0);
	recorder.record('git', 'b', 'tools/call', 10, true, T0);
	recorder.forgetServer('fs');
	recorder.forgetServer('unknown');
	const snapshot = recorder.snapshot(T0 + 100);
	assert.deepEqual(Object.keys(snapshot.servers), ['git']);
	assert.equal(snapshot.overall.count, 2);
});

test('methods past the cap fold into `other`, and an idle one gives its place up', () => {
	const recorder = new LatencyRecorder({maxMethodsPerServer: 3});
	for (const method of ['m1', 'm2', 'm3', 'junk1', 'junk2', 'junk1']) {
		recorder.record('fs', 'a', method, 1, true, T0);
	}

	// Another server has its own budget.
	recorder.record('git', 'a', 'm9', 1, true, T0);

	let snapshot = recorder.snapshot(T0 + 100);
	assert.deepEqual(Object.keys(snapshot.servers.fs.methods).sort(), ['m1', 'm2', 'm3', OTHER_METHOD].sort());
	assert.equal(snapshot.servers.fs.methods[OTHER_METHOD].count, 3);
	assert.equal(snapshot.servers.fs.count, 6);
	assert.deepEqual(Object.keys(snapshot.servers.git.methods), ['m9']);

	// M2 and m3 keep going; m1 and `other` go quiet for a whole window.
	for (let s = 1; s <= 61; s++) {
		recorder.record('fs', 'a', 'm2', 1, true, T0 + s * 1000);
		recorder.record('fs', 'a', 'm3', 1, true, T0 + s * 1000);
	}

	recorder.record('fs', 'a', 'fresh', 1, true, T0 + 61_500);
	recorder.record('fs', 'a', 'later', 1, true, T0 + 61_600);
	snapshot = recorder.snapshot(T0 + 61_700);
	assert.deepEqual(Object.keys(snapshot.servers.fs.methods).sort(), ['fresh', 'm2', 'm3', OTHER_METHOD].sort());
	assert.equal(snapshot.servers.fs.methods.fresh.count, 1);
	assert.equal(snapshot.servers.fs.methods[OTHER_METHOD].count, 1);
});

test('a flood of distinct method names stays within the cap', () => {
	const recorder = new LatencyRecorder({maxMethodsPerServer: 64});
	for (let i = 0; i < 10_000; i++) {
		recorder.record('fs', 'a', `method-${i}`, 1, true, T0 + i);
	}

	const {methods} = recorder.snapshot(T0 + 10_000).servers.fs;
	assert.equal(Object.keys(methods).length, 65);
	assert.equal(methods[OTHER_METHOD].count, 10_000 - 64);
});

test('the snapshot survives a JSON round trip unchanged, odd key names included', () => {
	const recorder = new LatencyRecorder();
	recorder.record('fs', 's1', 'tools/call', 3.14159, true, T0);
	recorder.record('fs', '__proto__', '__proto__', 250.5, false, T0 + 10);
	recorder.record('fs', 's1', 'constructor', 0.004, true, T0 + 1500);
	recorder.record('git', 's2', 'tools/list', NaN, true, T0 + 1600);
	recorder.record('git', 's2', 'tools/list', Infinity, false, T0 + 1700);
	recorder.record('git', 's2', 'tools/list', -3, true, T0 + 1800);

	const snapshot = recorder.snapshot(T0 + 2500);
	assert.deepEqual(JSON.parse(JSON.stringify(snapshot)), snapshot);
	assert.ok(Object.hasOwn(snapshot.servers.fs.methods, '__proto__'));
	assert.ok(Object.hasOwn(snapshot.sessions, '__proto__'));
	assert.equal(snapshot.servers.fs.methods.__proto__.count, 1);
	assert.equal(snapshot.servers.git.max, Math.round(MAX_MS));
	assert.equal(snapshot.servers.git.count, 3);

	const isStats = (stats: Stats) => ['count', 'rps', 'errorsPerSec', 'p50', 'p95', 'p99', 'max'].every(key => key in stats);
	assert.ok(isStats(snapshot.overall));
	assert.ok(Object.values(snapshot.servers).every(server => isStats(server) && Object.values(server.methods).every(isStats)));
	assert.ok(Object.values(snapshot.sessions).every(isStats));
	assert.equal(snapshot.windowSeconds, 60);
});

test('series holds one count per whole second before now, oldest first', () => {
	const recorder = new LatencyRecorder({windowSeconds: 60, seriesSeconds: 30});
	// K requests in second k, for k = 1..40.
	for (let k = 1; k <= 40; k++) {
		for (let i = 0; i < k; i++) {
			recorder.record(k % 2 === 0 ? 'even' : 'odd', 's', 'm', 1, true, T0 + k * 1000 + i);
		}
	}

	const snapshot = recorder.snapshot(T0 + 40_500);
	const expected = Array.from({length: 30}, (_, i) => i + 10); // Seconds 10..39; 40 is still filling.
	assert.deepEqual(snapshot.overall.series, expected);
	assert.deepEqual(snapshot.servers.even.series, expected.map(k => (k % 2 === 0 ? k : 0)));
	assert.deepEqual(snapshot.servers.odd.series, expected.map(k => (k % 2 === 1 ? k : 0)));
	assert.equal(snapshot.servers.even.series.length, 30);
	assert.equal('series' in snapshot.servers.even.methods.m, false);
	assert.equal('series' in snapshot.sessions.s, false);
});

test('options are checked', () => {
	assert.throws(() => new LatencyRecorder({windowSeconds: 1}), RangeError);
	assert.throws(() => new LatencyRecorder({windowSeconds: 10, seriesSeconds: 10}), RangeError);
	assert.throws(() => new LatencyRecorder({seriesSeconds: 0}), RangeError);
	assert.throws(() => new LatencyRecorder({maxMethodsPerServer: 0}), RangeError);
	assert.throws(() => new LatencyRecorder({windowSeconds: 1.5}), RangeError);
	assert.doesNotThrow(() => new LatencyRecorder({windowSeconds: 2, seriesSeconds: 1, maxMethodsPerServer: 1}));
});

test('without an explicit now it runs on the default clock', () => {
	const recorder = new LatencyRecorder();
	recorder.record('fs', 'a', 'tools/call', 7, true);
	const {overall} = recorder.snapshot();
	assert.equal(overall.count, 1);
	assert.equal(overall.p50, 7);
});
