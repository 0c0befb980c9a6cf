import assert from 'node:assert/strict';
import {spawn, type ChildProcess} from 'node:child_process';
import {once} from 'node:events';
import {chmodSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {test} from 'node:test';
import {assertNoNewChildren, cmdline, descendants, isAlive} from './processes.js';
import {waitFor} from './wait-for.js';

async function started(child: ChildProcess): Promise<number> {
	await once(child, 'spawn');
	return child.pid!;
}

test('a spawned child is a live descendant until killed', async () => {
	const before = descendants();
	const child = spawn('sleep', ['5'], {stdio: 'ignore'});
	const exited = once(child, 'exit');
	const pid = await started(child);
	try {
		assert.ok(descendants().includes(pid), `pid ${pid} not among ${descendants().join(', ')}`);
		assert.ok(isAlive(pid));
		assert.match(cmdline(pid), /^sleep 5$/);
	} finally {
		child.kill('SIGKILL');
		await exited;
	}

	await waitFor(() => !descendants().includes(pid), {message: `pid ${pid} to leave the descendants`});
	assert.equal(isAlive(pid), false);
	await assertNoNewChildren(before);
});

test('grandchildren are found, even under a comm with spaces and parentheses', async () => {
	const dir = mkdtempSync(join(tmpdir(), 'mcpd-proc-'));
	const script = join(dir, 'odd) name');
	writeFileSync(script, '#!/bin/sh\nsleep 5\n');
	chmodSync(script, 0o755);
	// Its own process group, so one kill reaches the shell and its sleep.
	const child = spawn(script, {stdio: 'ignore', detached: true});
	const exited = once(child, 'exit');
	const pid = await started(child);
	try {
		const grandchild = await waitFor(() => descendants().find(p => p !== pid && cmdline(p) === 'sleep 5'), {message: 'the sleep under the script'});
		assert.ok(descendants().includes(pid));
		assert.ok(isAlive(grandchild));
		process.kill(-pid, 'SIGKILL');
		await exited;
		await waitFor(() => !isAlive(grandchild), {message: `grandchild ${grandchild} to die`});
	} finally {
		try {
			process.kill(-pid, 'SIGKILL');
		} catch {
			// Already gone
		}

		if (child.exitCode === null && child.signalCode === null) {
			await exited;
		}

		rmSync(dir, {recursive: true, force: true});
	}
});

test('assertNoNewChildren names what was left behind', async () => {
	const before = descendants();
	const child = spawn('sleep', ['5'], {stdio: 'ignore'});
	const exited = once(child, 'exit');
	const pid = await started(child);
	try {
		await assert.rejects(assertNoNewChildren(before, {timeout: 100}), (error: Error) => {
			assert.match(error.message, new RegExp(`${pid}: sleep 5`));
			return true;
		});
	} finally {
		child.kill('SIGKILL');
		await exited;
	}

	await assertNoNewChildren(before);
});

test('waitFor retries throws and falsy values, then times out with the last error', async () => {
	let calls = 0;
	const value = await waitFor(() => {
		calls++;
		if (calls < 3) {
			throw new Error('not yet');
		}

		return calls === 3 ? 0 : 'ready';
	});
	assert.equal(value, 'ready');
	assert.equal(calls, 4);
	await assert.rejects(
		waitFor(
			() => {
				throw new Error('still broken');
			},
			{timeout: 60, interval: 10, message: 'the impossible'},
		),
		/timed out after 60 ms: the impossible \(last error: still broken\)/,
	);
});
