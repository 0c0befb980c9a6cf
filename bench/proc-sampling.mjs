#!/usr/bin/env node
// What the dashboard's /proc sampling costs: 100 children, each leading its own
// process group as mcpd's do, sampled the way the dashboard samples them (every
// process's stat read, grouped by process group), once a second.
//
//   node bench/proc-sampling.mjs [--children 100] [--seconds 10]
//
// Needs a built dist/ (npm run build) and Linux. Prints a JSON line and a summary.
import {spawn} from 'node:child_process';
import {readdirSync} from 'node:fs';
import {parseArgs} from 'node:util';
import {UsageSampler} from '../dist/store/usage-sampler.js';

const {values} = parseArgs({options: {children: {type: 'string'}, seconds: {type: 'string'}}});
const count = Number(values.children ?? 100);
const seconds = Number(values.seconds ?? 10);
const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));

const children = Array.from({length: count}, () => spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], {detached: true, stdio: 'ignore'}));
try {
	await sleep(1000);
	const pids = new Map(children.map((child, i) => [`s${i}`, child.pid]));
	const sampler = new UsageSampler();
	let samples = 0;
	let cpuMicros = 0;
	let seen = 0;
	for (let i = 0; i < seconds; i++) {
		const before = process.cpuUsage();
		seen = sampler.sample(pids, Date.now()).size;
		const used = process.cpuUsage(before);
		cpuMicros += used.user + used.system;
		samples++;
		await sleep(1000);
	}

	const perSampleMs = cpuMicros / samples / 1000;
	const result = {
		children: count, processesOnMachine: readdirSync('/proc').filter(name => /^\d+$/.test(name)).length, samples, sampled: seen, perSampleMs: Math.round(perSampleMs * 100) / 100, cpuPctAt1Hz: Math.round(perSampleMs / 10 * 100) / 100,
	};
	console.log(JSON.stringify(result));
	console.error(`one sample of ${count} children among ${result.processesOnMachine} processes: ${result.perSampleMs} ms of CPU; at 1 Hz ${result.cpuPctAt1Hz}% of one core (goal < 1%)`);
} finally {
	for (const child of children) {
		try {
			process.kill(-child.pid, 'SIGKILL');
		} catch {}
	}
}
