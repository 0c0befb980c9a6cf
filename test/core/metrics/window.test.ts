import assert from 'node:assert/strict';
import {test} from 'node:test';
import {RELATIVE_ERROR, bucketIndex} from '../../../source/core/metrics/histogram.js';
import {HistogramPool} from '../../../source/core/metrics/pool.js';
import {RollingWindow} from '../../../source/core/metrics/window.js';

function add(window: RollingWindow, second: number, ms: number, ok = true): void {
	window.add(second, Math.round(ms * 1000), bucketIndex(ms), ok);
}

function near(actual: number | undefined, expected: number): void {
	assert.ok(actual !== undefined && Math.abs(actual - expected) <= expected * RELATIVE_ERROR, `${actual} ≉ ${expected}`);
}

test('a second leaves the window exactly `slots` seconds later', () => {
	const window = new RollingWindow(10, new HistogramPool());
	add(window, 100, 5);
	add(window, 105, 7, false);
	window.advance(109);
	assert.equal(window.count, 2);
	assert.equal(window.errors, 1);
	window.advance(110);
	assert.equal(window.count, 1);
	assert.deepEqual(window.extremes(), {min: 7, max: 7});
	window.advance(115);
	assert.equal(window.count, 0);
	assert.equal(window.errors, 0);
	assert.equal(window.extremes(), undefined);
	assert.deepEqual(window.quantiles([0.5]), []);
	assert.equal(window.lastSecond, 105);
});

test('a long gap clears everything and late values inside the window still count', () => {
	const window = new RollingWindow(10, new HistogramPool());
	for (let second = 0; second < 10; second++) {
		add(window, second, second + 1);
	}

	add(window, 1000, 50);
	assert.equal(window.count, 1);
	add(window, 995, 20); // Late but inside (990, 1000].
	add(window, 990, 30); // Already out.
	assert.equal(window.count, 2);
	assert.deepEqual(window.extremes(), {min: 20, max: 50});
	window.advance(1005);
	assert.equal(window.count, 1);
});

test('a busy second borrows a histogram and returns it zeroed when it expires', () => {
	const pool = new HistogramPool();
	const window = new RollingWindow(5, pool);
	// 1..1000 in a scrambled order (337 is coprime to 1000), so the touched
	// range grows at both ends after the slot goes dense.
	for (let i = 0; i < 1000; i++) {
		add(window, 0, (((i * 337) + 500) % 1000) + 1);
	}

	const [p50, p99] = window.quantiles([0.5, 0.99]);
	near(p50, 500);
	near(p99, 990);
	assert.equal(pool.spare, 0);

	window.advance(5);
	assert.equal(window.count, 0);
	assert.equal(pool.spare, 1);

	// Reuses the returned histogram: nothing of the first burst may leak in.
	for (let i = 0; i < 100; i++) {
		add(window, 6, 2);
	}

	assert.equal(pool.spare, 0);
	const [q0, q100] = window.quantiles([0, 1]);
	near(q0, 2);
	near(q100, 2);

	// Once that second expires too, the running total must hold only the
	// survivor: scanning from bucket 0 finds any count left behind.
	add(window, 7, 5000);
	window.advance(11);
	assert.equal(window.count, 1);
	const [r0, r100] = window.quantiles([0, 1]);
	near(r0, 5000);
	near(r100, 5000);
	window.release();
	assert.equal(pool.spare, 1);
	assert.equal(window.count, 0);
});

test('series counts the whole seconds before the newest, oldest first', () => {
	const window = new RollingWindow(10, new HistogramPool());
	add(window, 20, 1);
	add(window, 22, 1);
	add(window, 22, 1);
	add(window, 23, 1); // Newest, still filling: not in the series.
	assert.deepEqual(window.series(4), [0, 1, 0, 2]);
	window.advance(25);
	assert.deepEqual(window.series(4), [0, 2, 1, 0]);
});
