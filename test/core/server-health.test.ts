/**
 The back-off and quarantine rules on their own, with explicit clocks: what
 a server allows after failed starts, and when it stops refusing.
 */
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {EARLY_CRASH_MS, failedStart, ServerHealth} from '../../source/core/server-health.js';

const limits = {crashLimit: 3, crashWindowMs: 60_000, backoffMaxMs: 8000};
const failure = (at: number) => ({at, reason: 'exited (exit code 1)', stderr: ['boom']});

test('what counts as a failed start', () => {
	const base = {era: 'legacy' as const, startedAt: 0, liveAt: undefined};
	assert.equal(failedStart({...base, reason: 'spawn-failed'}, 1), true);
	assert.equal(failedStart({...base, reason: 'start-timeout'}, 1), true);
	assert.equal(failedStart({...base, reason: 'exit'}, 1), true, 'exit 0 before answering initialize');
	assert.equal(failedStart({...base, reason: 'exit', liveAt: 1}, 2), false);
	assert.equal(failedStart({...base, reason: 'crash', liveAt: 1}, EARLY_CRASH_MS - 1), true, 'a crash soon after starting');
	assert.equal(failedStart({...base, reason: 'crash', liveAt: 1}, EARLY_CRASH_MS), false, 'a crash of a child that ran a while');
	assert.equal(failedStart({...base, reason: 'init-failed'}, 1), false, 'a legacy child refusing its client\'s initialize');
	assert.equal(failedStart({...base, era: 'modern', reason: 'init-failed'}, 1), true, 'a child refusing mcpd\'s own initialize');
	for (const reason of ['delete', 'idle', 'killed', 'restart', 'shutdown', 'max-age'] as const) {
		assert.equal(failedStart({...base, reason}, 1), false, reason);
	}
});

test('a fresh server starts up to crash_limit children at once, then any number once one is live', () => {
	const health = new ServerHealth(limits);
	for (const id of ['a', 'b', 'c']) {
		assert.equal(health.startWait(0), undefined);
		health.spawned(id);
	}

	assert.ok(health.startWait(0)! > 0, 'a fourth waits');
	health.live('a');
	assert.equal(health.startWait(0), undefined);
	health.spawned('d');
	health.spawned('e');
	assert.equal(health.startWait(0), undefined);
});

test('after failures: one start at a time, delays doubling from the second failure, quarantine at crash_limit', () => {
	const health = new ServerHealth(limits);
	health.spawned('a');
	health.ended('a');
	assert.equal(health.failed(failure(1000), 0, 1000), false);
	assert.equal(health.startWait(1000), undefined, 'no delay after one failure');
	health.spawned('b');
	assert.ok(health.startWait(1000)! > 0, 'but one start at a time');
	health.ended('b');
	assert.equal(health.failed(failure(2000), 1000, 2000), false);
	assert.equal(health.startWait(2000), 1000, 'after two in a row: wait 1 s');
	assert.equal(health.startWait(3000), undefined);
	health.spawned('c');
	health.ended('c');
	assert.equal(health.failed(failure(3000), 3000, 3000), true, 'the third within the window quarantines');
	assert.equal(health.retryAt(3000), 3000 + 4000, 'for the back-off of a third failure in a row: 4 s');
	assert.deepEqual(health.snapshot(3000), {failures: 3, retryAt: 7000, lastFailure: failure(3000)});
	assert.equal(health.retryAt(7000), undefined, 'and not a moment longer');
});

test('children started together that fail together are one step of the back-off', () => {
	const health = new ServerHealth(limits);
	for (const id of ['a', 'b', 'c']) {
		health.spawned(id);
	}

	for (const [i, id] of ['a', 'b', 'c'].entries()) {
		health.ended(id);
		health.failed(failure(100 + i), 0, 100 + i);
	}

	assert.equal(health.retryAt(102), 102 + 1000, 'quarantined for the first step only: 1 s');
	assert.equal(health.failed(failure(500), 0, 500), false, 'a straggler does not extend it');
	assert.equal(health.retryAt(600), 1102);
});

test('after a quarantine, one more failure quarantines again, for twice as long, up to backoff_max', () => {
	const health = new ServerHealth({...limits, backoffMaxMs: 60_000});
	for (const at of [0, 1, 2]) {
		health.failed(failure(at), at, at);
	}

	let until = health.retryAt(2)!;
	assert.equal(until - 2, 4000);
	const lengths: number[] = [];
	for (let i = 0; i < 5; i++) {
		assert.equal(health.failed(failure(until), until, until), true);
		const next = health.retryAt(until)!;
		lengths.push(next - until);
		until = next;
	}

	assert.deepEqual(lengths, [8000, 16_000, 32_000, 60_000, 60_000]);
});

test('a child that runs past the early-crash time ends the trial; a restart lifts everything', () => {
	const health = new ServerHealth(limits);
	for (const at of [0, 1, 2]) {
		health.failed(failure(at), at, at);
	}

	assert.notStrictEqual(health.retryAt(10), undefined);
	health.lift();
	assert.equal(health.retryAt(10), undefined);
	assert.deepEqual(health.snapshot(10), {failures: 0, retryAt: undefined, lastFailure: undefined});
	health.failed(failure(20), 20, 20);
	health.spawned('x');
	health.live('x');
	health.spawned('y');
	assert.ok(health.startWait(30)! > 0, 'on trial, an answered initialize is not enough: still one start at a time');
	health.succeeded();
	assert.equal(health.startWait(40), undefined, 'proven again: no limit');
});

test('crash_limit 0 never quarantines, but still backs off', () => {
	const health = new ServerHealth({...limits, crashLimit: 0});
	for (let at = 0; at < 10; at++) {
		assert.equal(health.failed(failure(at * 100_000), at * 100_000, at * 100_000), false);
	}

	assert.equal(health.retryAt(900_000), undefined);
	assert.equal(health.startWait(900_000), 8000);
});

test('waiters wake on a change, after their time, or not at all once aborted', async () => {
	const health = new ServerHealth(limits);
	const woken = health.changed(60_000);
	health.spawned('a');
	health.live('a');
	await woken;
	const started = Date.now();
	await health.changed(30);
	assert.ok(Date.now() - started >= 25);
	const controller = new AbortController();
	const waiting = health.changed(60_000, controller.signal);
	controller.abort(new Error('client left'));
	await assert.rejects(waiting, /client left/);
});
