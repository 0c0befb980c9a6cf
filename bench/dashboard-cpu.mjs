#!/usr/bin/env node
// CPU of mcpd's dashboard under load: 100 sessions whose children write 1,000
// stderr lines a second in all, mcpd in a real 80x24 terminal (tmux) versus
// the same load headless. The difference is what the dashboard costs.
//
//   node bench/dashboard-cpu.mjs [--sessions 100] [--lines-per-second 1000] [--seconds 20]
//
// Needs tmux and a built dist/ (npm run build). Prints a JSON line and a summary.
import {execFileSync, spawn} from 'node:child_process';
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {createServer} from 'node:net';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {parseArgs} from 'node:util';

const {values} = parseArgs({options: {sessions: {type: 'string'}, 'lines-per-second': {type: 'string'}, seconds: {type: 'string'}}});
const sessions = Number(values.sessions ?? 100);
const linesPerSecond = Number(values['lines-per-second'] ?? 1000);
const seconds = Number(values.seconds ?? 20);
const intervalMs = Math.round((1000 * sessions) / linesPerSecond);

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = path.join(root, 'bin/mcpd.js');
const spammer = path.join(root, 'bench/stderr-spammer.mjs');
const CLK_TCK = Number(execFileSync('getconf', ['CLK_TCK'], {encoding: 'utf8'}).trim());
const SOCKET = `mcpd-bench-${process.pid}`;
const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));

function cpuTicks(pid) {
	const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
	const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
	return Number(fields[11]) + Number(fields[12]); // Utime + stime of mcpd itself, not its children
}

async function freePort() {
	return new Promise(resolve => {
		const server = createServer().listen(0, '127.0.0.1', () => {
			const {port} = server.address();
			server.close(() => resolve(port));
		});
	});
}

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

async function measure(pid, port) {
	await openSessions(port);
	await sleep(3000); // let start-up settle
	const before = cpuTicks(pid);
	const started = Date.now();
	await sleep(seconds * 1000);
	const cpuMs = ((cpuTicks(pid) - before) / CLK_TCK) * 1000;
	return Math.round((cpuMs / (Date.now() - started)) * 1000) / 10; // % of one core
}

const dir = mkdtempSync(path.join(tmpdir(), 'mcpd-bench-'));
const config = path.join(dir, 'mcpd.toml');
writeFileSync(config, `[sessions]\nmax_total = 0\n\n[server.spam]\ncommand = ${JSON.stringify(process.execPath)}\nargs = [${JSON.stringify(spammer)}, "--interval-ms", "${intervalMs}"]\n`);

try {
	// Dashboard: a real terminal at the SSH default size.
	let port = await freePort();
	execFileSync('tmux', ['-L', SOCKET, 'new-session', '-d', '-s', 'b', '-x', '80', '-y', '24', `exec env -u CI '${process.execPath}' '${bin}' --config '${config}' --port ${port}`]);
	const tuiPid = Number(execFileSync('tmux', ['-L', SOCKET, 'display', '-p', '-t', 'b', '#{pane_pid}'], {encoding: 'utf8'}).trim());
	await waitListening(port);
	const tui = await measure(tuiPid, port);
	const screen = execFileSync('tmux', ['-L', SOCKET, 'capture-pane', '-p', '-t', 'b'], {encoding: 'utf8'});
	execFileSync('tmux', ['-L', SOCKET, 'kill-server']);
	await sleep(1500);

	// Headless: same load, log lines to nowhere (warn level: stderr lines are not logged).
	port = await freePort();
	const headless = spawn(process.execPath, [bin, '--config', config, '--port', String(port), '--no-tui', '--log-level', 'warn'], {stdio: 'ignore'});
	await waitListening(port);
	const plain = await measure(headless.pid, port);
	headless.kill('SIGTERM');
	await new Promise(resolve => headless.once('exit', resolve));

	const result = {
		sessions, linesPerSecond, seconds, tuiCpuPct: tui, headlessCpuPct: plain, dashboardCpuPct: Math.round((tui - plain) * 10) / 10,
	};
	console.log(JSON.stringify(result));
	console.error(`\n${screen}`);
	console.error(`mcpd with the dashboard: ${tui}% of one core; headless: ${plain}%; the dashboard's share: ${result.dashboardCpuPct}% (goal < 5%)`);
} finally {
	try {
		execFileSync('tmux', ['-L', SOCKET, 'kill-server'], {stdio: 'ignore'});
	} catch {}

	rmSync(dir, {recursive: true, force: true});
}
