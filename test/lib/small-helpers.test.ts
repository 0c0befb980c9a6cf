import assert from 'node:assert/strict';
import {test} from 'node:test';
import {sparkline} from '../../source/lib/sparkline.js';
import {compileFilter} from '../../source/lib/text-filter.js';
import {createThrottle, type Clock} from '../../source/lib/throttle.js';

test('sparkline scales to the largest value and keeps its width', () => {
	assert.equal(sparkline([0, 1, 2, 4], 4), '▁▃▅█');
	assert.equal(sparkline([0, 0], 4), '  ▁▁');
	assert.equal(sparkline([1, 2, 3, 4, 5, 6], 3), '▆▇█');
	assert.equal(sparkline([5], 0), '');
});

test('filter is case-insensitive and ! inverts', () => {
	const errors = compileFilter('ERR');
	assert.equal(errors('an error here'), true);
	assert.equal(errors('all fine'), false);
	const notErrors = compileFilter('!err');
	assert.equal(notErrors('an Error here'), false);
	assert.equal(notErrors('all fine'), true);
	assert.equal(compileFilter('')('x'), true);
	assert.equal(compileFilter('!')('x'), true);
});

test('throttle runs a burst once, later than it was asked, and spaces runs by the interval', () => {
	let now = 0;
	const timers: Array<{at: number; fn: () => void}> = [];
	const clock: Clock = {
		now: () => now,
		setTimeout(fn, ms) {
			const t = {at: now + ms, fn};
			timers.push(t);
			return t;
		},
		clearTimeout(handle) {
			timers.splice(timers.indexOf(handle as never), 1);
		},
	};
	const runs: number[] = [];
	const throttle = createThrottle(() => runs.push(now), 100, clock);
	for (let i = 0; i < 50; i++) {
		throttle.schedule();
	}

	assert.deepEqual(runs, [], 'never synchronous');
	assert.equal(timers.length, 1);
	timers.shift()!.fn();
	assert.deepEqual(runs, [0]);
	now = 10;
	throttle.schedule();
	assert.equal(timers[0].at, 100, 'waits out the interval since the last run');
	throttle.cancel();
	assert.equal(timers.length, 0);
});

test('plain text: escapes and controls go, tabs become spaces', async () => {
	const {toPlainLine} = await import('../../source/lib/plain-text.js');
	assert.equal(toPlainLine('\u{1B}[31merror\u{1B}[0m: x'), 'error: x');
	assert.equal(toPlainLine('\u{1B}]0;title\u{7}text\u{1B}[2J\u{1B}[H'), 'text');
	assert.equal(toPlainLine('a\tb\r\u{7}'), 'a   b');
	assert.equal(toPlainLine('ok ✓ 日本'), 'ok ✓ 日本');
});
