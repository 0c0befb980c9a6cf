#!/usr/bin/env node
// CPU of mcpd's dashboard under load: 100 sessions whose children write 1,000
// stderr lines a second in all, mcpd in a real 80x24 terminal (tmux) versus
// the same load headless. The difference is what the dashboard costs.
//
//   node bench/dashboard-cpu.mjs [--sessions 100] [--lines-per-second 1000] [--seconds 20]
//                                [--repeats 3] [--cpu-prof DIR]
//
// Each repeat measures the dashboard and then headless; the median of the
// repeats is the figure, since on a shared machine one run can be far off.
// CPU is in ms per second (10 ms/s = 1 % of a core). Beside it, what the
// dashboard did per second (snapshots published, root renders, frames Ink laid
// out, bytes written to the terminal), read from its MCPD_UI_STATS file: those
// counts do not depend on how busy the machine is, so they compare builds even
// when the CPU figure is noisy. --cpu-prof writes a V8 profile of the first
// dashboard run into DIR (open it in Chrome DevTools).
//
// Needs tmux and a built dist/ (npm run build). Prints a JSON line and a summary.
import {execFileSync, spawn} from 'node:child_process';
import {existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {parseArgs} from 'node:util';
import {CLK_TCK, freePort, sleep} from './kit/bench-lib.mjs';

const {values} = parseArgs({
	options: {
		sessions: {type: 'string'}, 'lines-per-second': {type: 'string'}, seconds: {type: 'string'}, repeats: {type: 'string'}, 'cpu-prof': {type: 'string'},
	},
});
const sessions = Number(values.sessions ?? 100);
const linesPerSecond = Number(values['lines-per-second'] ?? 1000);
const seconds = Number(values.seconds ?? 20);
const repeats = Math.max(1, Number(values.repeats ?? 3));
const profileDir = values['cpu-prof'] && path.resolve(values['cpu-prof']);
const intervalMs = Math.round((1000 * sessions) / linesPerSecond);

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = path.join(root, 'bin/mcpd.js');
const spammer = path.join(root, 'bench/stderr-spammer.mjs');
const SOCKET = `mcpd-bench-${process.pid}`;
const counters = ['snapshots', 'appRenders', 'frames', 'frameMs', 'writes', 'bytes'];

function cpuTicks(pid) {
	const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
	const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
	return Number(fields[11]) + Number(fields[12]); // Utime + stime of mcpd itself, not its children
}

const median = list => {
	const sorted = [...list].sort((a, b) => a - b);
	const mid = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

const round = (x, digits = 1) => Math.round(x * (10 ** digits)) / (10 ** digits);

async function openSessions(port) {
	for (let i = 0; i < sessions; i++) {
		const response = await fetch(`http://127.0.0.1:${port}/mcp`, {
			method: 'POST',
			headers: {'content-type': 'application/json', accept: 'application/json, text/event-stream'},
			body: JSON.stringify({
				jsonrpc: '2.0', id: 1, method: 'initialize', params: {protocolVersion: '2025-11-25', capabilities: {}, clientInfo: {name: `bench-${i}`, version: '1'}},
			}),
		});
		if (response.status !== 200) {throw new Error(`initialize ${i}: HTTP ${response.status}`);}
		await response.text();
	}
}

async function waitListening(port) {
	for (let i = 0; i < 100; i++) {
		try {
			if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) {return;}
		} catch {}

		await sleep(100);
	}

	throw new Error('mcpd did not start');
}

const readStats = file => {
	try {
		return JSON.parse(readFileSync(file, 'utf8'));
	} catch {
		return undefined;
	}
};

/**
CPU in ms per second of mcpd's own time over the window, and the dashboard's counters per second when it has a stats file.
@param pid
@param port
@param statsFile
*/
async function measure(pid, port, statsFile) {
	await openSessions(port);
	await sleep(3000); // Let start-up settle
	const before = cpuTicks(pid);
	const statsBefore = statsFile && readStats(statsFile);
	const started = Date.now();
	await sleep(seconds * 1000);
	const cpuMs = ((cpuTicks(pid) - before) / CLK_TCK) * 1000;
	const elapsed = (Date.now() - started) / 1000;
	const statsAfter = statsFile && readStats(statsFile);
	const result = {cpuMsPerS: round(cpuMs / elapsed)};
	if (statsBefore && statsAfter) {
		// The file is written once a second: rate over the span its two readings cover.
		const span = (statsAfter.at - statsBefore.at) / 1000;
		result.perSecond = Object.fromEntries(counters.map(c => [c, round((statsAfter[c] - statsBefore[c]) / span)]));
	}

	return result;
}

async function waitGone(pid, ms) {
	for (let waited = 0; waited < ms && existsSync(`/proc/${pid}`); waited += 100) {
		await sleep(100);
	}
}

async function dashboardRun(config, dir, profile) {
	const port = await freePort();
	const statsFile = path.join(dir, 'ui-stats.json');
	rmSync(statsFile, {force: true});
	const nodeArgs = profile ? `--cpu-prof --cpu-prof-dir '${profileDir}' ` : '';
	execFileSync('tmux', ['-L', SOCKET, 'new-session', '-d', '-s', 'b', '-x', '80', '-y', '24', `exec env -u CI MCPD_UI_STATS='${statsFile}' '${process.execPath}' ${nodeArgs}'${bin}' --config '${config}' --port ${port}`]);
	const pid = Number(execFileSync('tmux', ['-L', SOCKET, 'display', '-p', '-t', 'b', '#{pane_pid}'], {encoding: 'utf8'}).trim());
	try {
		await waitListening(port);
		const result = await measure(pid, port, statsFile);
		const screen = execFileSync('tmux', ['-L', SOCKET, 'capture-pane', '-p', '-t', 'b'], {encoding: 'utf8'});
		// A clean exit, so that a profile gets written.
		process.kill(pid, 'SIGTERM');
		await waitGone(pid, 15_000);
		return {...result, screen};
	} finally {
		try {
			execFileSync('tmux', ['-L', SOCKET, 'kill-server'], {stdio: 'ignore'});
		} catch {}
	}
}

async function headlessRun(config) {
	// Same load, log lines to nowhere (warn level: stderr lines are not logged).
	const port = await freePort();
	const headless = spawn(process.execPath, [bin, '--config', config, '--port', String(port), '--no-tui', '--log-level', 'warn'], {stdio: 'ignore'});
	try {
		await waitListening(port);
		return await measure(headless.pid, port);
	} finally {
		headless.kill('SIGTERM');
		await new Promise(resolve => {
			if (headless.exitCode === null) {
				headless.once('exit', resolve);
			} else {
				resolve();
			}
		});
	}
}

const dir = mkdtempSync(path.join(tmpdir(), 'mcpd-bench-'));
const config = path.join(dir, 'mcpd.toml');
writeFileSync(config, `[sessions]\nmax_total = 0\n\n[server.spam]\ncommand = ${JSON.stringify(process.execPath)}\nargs = [${JSON.stringify(spammer)}, "--interval-ms", "${intervalMs}"]\n`);
if (profileDir) {
	mkdirSync(profileDir, {recursive: true});
}

try {
	const runs = [];
	let screen = '';
	for (let i = 0; i < repeats; i++) {
		const tui = await dashboardRun(config, dir, profileDir && i === 0);
		screen = tui.screen;
		await sleep(1500);
		const plain = await headlessRun(config);
		await sleep(1500);
		const run = {
			tuiMsPerS: tui.cpuMsPerS, headlessMsPerS: plain.cpuMsPerS, dashboardMsPerS: round(tui.cpuMsPerS - plain.cpuMsPerS), perSecond: tui.perSecond,
		};
		runs.push(run);
		console.error(`run ${i + 1}/${repeats}: dashboard ${run.tuiMsPerS} ms/s, headless ${run.headlessMsPerS} ms/s, the dashboard's share ${run.dashboardMsPerS} ms/s; ${JSON.stringify(run.perSecond ?? {})}`);
	}

	const med = key => round(median(runs.map(r => r[key])));
	const perSecond = runs.every(r => r.perSecond)
		? Object.fromEntries(counters.map(c => [c, round(median(runs.map(r => r.perSecond[c])))]))
		: undefined;
	const result = {
		sessions,
		linesPerSecond,
		seconds,
		repeats,
		tuiMsPerS: med('tuiMsPerS'),
		headlessMsPerS: med('headlessMsPerS'),
		dashboardMsPerS: med('dashboardMsPerS'),
		// % of one core, as the README states the goal.
		dashboardCpuPct: round(med('dashboardMsPerS') / 10),
		perSecond,
		runs,
	};
	console.log(JSON.stringify(result));
	console.error(`\n${screen}`);
	console.error(`median of ${repeats}: mcpd with the dashboard ${result.tuiMsPerS} ms/s; headless ${result.headlessMsPerS} ms/s; the dashboard's share ${result.dashboardMsPerS} ms/s = ${result.dashboardCpuPct}% of one core (goal < 5%)`);
	if (perSecond) {
		console.error(`per second: ${perSecond.snapshots} snapshots, ${perSecond.appRenders} root renders, ${perSecond.frames} frames (${perSecond.frameMs} ms laying out), ${perSecond.writes} writes, ${perSecond.bytes} bytes to the terminal`);
	}

	if (profileDir) {
		console.error(`profile of the first dashboard run in ${profileDir}`);
	}
} finally {
	try {
		execFileSync('tmux', ['-L', SOCKET, 'kill-server'], {stdio: 'ignore'});
	} catch {}

	rmSync(dir, {recursive: true, force: true});
}
