import assert from 'node:assert/strict';
import {spawn, type ChildProcess} from 'node:child_process';
import {after, test} from 'node:test';
import {readProcStat, statsByGroup, type ProcStat} from '../../source/lib/proc-stat.js';
import {serverTotals, UsageSampler} from '../../source/store/usage-sampler.js';
import {waitFor} from '../helpers/wait-for.js';

const children: ChildProcess[] = [];
after(() => {
	for (const child of children) {
		try {
			process.kill(-child.pid!, 'SIGKILL');
		} catch {}
	}
});

/**
A process-group leader like mcpd's children; `script` runs in it.
*/
function leader(script: string): number {
	const child = spawn(process.execPath, ['-e', script], {detached: true, stdio: 'ignore'});
	children.push(child);
	return child.pid!;
}

const stat = (pid: number, pgid: number, cpuSeconds: number, rss: number): ProcStat => ({
	pid, pgid, cpuSeconds, rss,
});

/**
A /proc made of `groups`, counting walks; `one` looks a pid up in it.
*/
function fakeProc(initial: Map<number, ProcStat[]>) {
	const state = {groups: initial, walks: 0};
	const reader = {
		groups() {
			state.walks++;
			return state.groups;
		},
		one: (pid: number) => [...state.groups.values()].flat().find(s => s.pid === pid),
	};
	return {state, reader};
}

test('CPU is the time used between two samples over the time passed; the first sample has none', () => {
	const {state, reader} = fakeProc(new Map([[10, [stat(10, 10, 1, 1000), stat(11, 10, 0.5, 500)]], [20, [stat(20, 20, 3, 4000)]]]));
	const sampler = new UsageSampler(reader, 1);
	const pids = new Map([['a', 10], ['b', 20], ['gone', 30]]);
	const first = sampler.sample(pids, 0);
	assert.deepEqual(first.get('a'), {cpu: undefined, rss: 1500, processes: 2});
	assert.equal(first.has('gone'), false, 'a pid with no process has no figures');
	state.groups = new Map([[10, [stat(10, 10, 1.5, 1000), stat(11, 10, 0.75, 700)]], [20, [stat(20, 20, 3, 4000)]]]);
	const second = sampler.sample(pids, 2000);
	assert.equal(second.get('a')?.cpu, 37.5, '0.75 s of CPU in 2 s');
	assert.equal(second.get('a')?.rss, 1700);
	assert.equal(second.get('b')?.cpu, 0);
	// A reused pid whose counter went back starts over rather than going negative.
	state.groups = new Map([[10, [stat(10, 10, 0.1, 1000)]]]);
	assert.equal(sampler.sample(pids, 3000).get('a')?.cpu, undefined);
});

test('all of /proc is walked only every few samples or for a new child; in between the known members are read again', () => {
	const {state, reader} = fakeProc(new Map([[10, [stat(10, 10, 0, 100), stat(11, 10, 0, 50)]]]));
	const sampler = new UsageSampler(reader, 3);
	const pids = new Map([['a', 10]]);
	sampler.sample(pids, 0);
	assert.equal(state.walks, 1);
	// A helper that joins between walks is not seen yet; one that left is no longer counted.
	state.groups = new Map([[10, [stat(10, 10, 1, 100), stat(12, 10, 0, 30)]], [11, [stat(11, 11, 0, 50)]]]);
	assert.deepEqual(sampler.sample(pids, 1000).get('a'), {cpu: 100, rss: 100, processes: 1});
	sampler.sample(pids, 2000);
	assert.equal(state.walks, 1);
	assert.deepEqual(sampler.sample(pids, 3000).get('a'), {cpu: 0, rss: 130, processes: 2}, 'the next walk finds the new helper');
	assert.equal(state.walks, 2);
	state.groups.set(20, [stat(20, 20, 0, 7)]);
	assert.equal(sampler.sample(new Map([['a', 10], ['b', 20]]), 4000).get('b')?.rss, 7, 'a new child is walked for at once');
	assert.equal(state.walks, 3);
});

test('server totals add up their children; CPU only from children that have a figure', () => {
	const usage = new Map([
		['a', {cpu: 10, rss: 100, processes: 1}],
		['b', {cpu: undefined, rss: 50, processes: 2}],
		['c', {cpu: 5, rss: 1, processes: 1}],
	]);
	const totals = serverTotals([{id: 'a', server: 'fs'}, {id: 'b', server: 'fs'}, {id: 'c', server: 'git'}, {id: 'x', server: 'git'}], usage);
	assert.deepEqual(totals.get('fs'), {cpu: 10, rss: 150, processes: 3});
	assert.deepEqual(totals.get('git'), {cpu: 5, rss: 1, processes: 1});
});

test('real processes: a group that allocates and spins shows more memory and CPU than its idle sibling, helpers included', {skip: process.platform !== 'linux'}, async () => {
	// The hungry child forks a helper into its own group that holds 64 MB and spins: the group counts both.
	const helper = 'const b = Buffer.alloc(64 * 1024 * 1024, 1); setInterval(() => { const t = Date.now(); while (Date.now() - t < 50) b[0]++; }, 60);';
	const hungry = leader(`require('node:child_process').spawn(process.execPath, ['-e', ${JSON.stringify(helper)}], {stdio: 'ignore'}); setInterval(() => {}, 1000);`);
	const idle = leader('setInterval(() => {}, 1000);');
	await waitFor(() => (statsByGroup().get(hungry)?.length ?? 0) >= 2 && (readProcStat(hungry)?.rss ?? 0) > 0, {timeout: 20_000, message: 'hungry group with its helper'});
	const sampler = new UsageSampler(undefined, 1);
	const pids = new Map([['hungry', hungry], ['idle', idle]]);
	sampler.sample(pids, Date.now());
	// Whatever the load, the helper keeps its 64 MB resident and burns CPU the sibling does not.
	const usage = await waitFor(async () => {
		await new Promise(resolve => setTimeout(resolve, 500));
		const u = sampler.sample(pids, Date.now());
		const h = u.get('hungry');
		const i = u.get('idle');
		return h && i && h.rss > i.rss + 50 * 1024 * 1024 && (h.cpu ?? 0) > (i.cpu ?? 0) ? u : undefined;
	}, {timeout: 30_000, message: 'the hungry group costs more'});
	assert.equal(usage.get('hungry')?.processes, 2, 'the child and its helper');
	assert.equal(usage.get('idle')?.processes, 1);
	assert.equal(readProcStat(2 ** 30), undefined, 'no such process');
});
