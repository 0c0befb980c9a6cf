#!/usr/bin/env node
// Mcpd's own memory, the two figures of its memory goals: the RSS of a
// headless mcpd at rest (no client), and what each idle legacy session adds
// to mcpd itself (children excluded), read after a full GC. See bench/README.md.
import {spawn} from 'node:child_process';
import {mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {parseArgs} from 'node:util';
import {freePort, runPool, sleep} from './kit/bench-lib.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = path.join(root, 'bin/mcpd.js');
const echoServer = path.join(root, 'bench/echo-server.mjs');

const HELP = `usage: node bench/memory.mjs [options]

  --starts N        headless starts for the idle RSS, median taken (default 3)
  --settle MS       wait after /healthz before reading the idle RSS (default 3000)
  --sessions LIST   idle legacy sessions to hold, one fresh mcpd each (default 0,100,200)
  --servers N       [server.*] tables in the config (default 3)
  --snapshot DIR    also write a heap snapshot of mcpd at each session count into DIR
  --skip WHAT       idle or sessions
  --json            one JSON line with every figure
`;

const {values} = parseArgs({
	options: {
		starts: {type: 'string', default: '3'},
		settle: {type: 'string', default: '3000'},
		sessions: {type: 'string', default: '0,100,200'},
		servers: {type: 'string', default: '3'},
		snapshot: {type: 'string'},
		skip: {type: 'string', default: ''},
		json: {type: 'boolean', default: false},
		help: {type: 'boolean', default: false},
	},
});
if (values.help) {
	process.stdout.write(HELP);
	process.exit(0);
}

const progress = line => process.stderr.write(`[bench:memory] ${line}\n`);
const median = list => [...list].sort((a, b) => a - b)[Math.floor((list.length - 1) / 2)];
const rssKib = pid => Number(/^VmRSS:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]);
const dir = mkdtempSync(path.join(tmpdir(), 'mcpd-memory-'));

async function startMcpd({inspect}) {
	const port = await freePort();
	const config = path.join(dir, `mcpd-${port}.toml`);
	const servers = Array.from({length: Number(values.servers)}, (_, index) => [
		`[server.echo${index}]`,
		`command = ${JSON.stringify(process.execPath)}`,
		`args = [${JSON.stringify(echoServer)}]`,
	].join('\n'));
	writeFileSync(config, ['[http]', `port = ${port}`, '[sessions]', 'max_total = 0', ...servers, ''].join('\n'));
	const flags = inspect ? ['--inspect=127.0.0.1:0'] : [];
	const child = spawn(process.execPath, [...flags, bin, '--no-tui', '--config', config], {stdio: ['ignore', 'ignore', 'pipe']});
	let output = '';
	child.stderr.setEncoding('utf8').on('data', chunk => {
		output = (output + chunk).slice(-8192);
	});
	const base = `http://127.0.0.1:${port}`;
	for (const deadline = Date.now() + 30_000; Date.now() < deadline;) {
		if (child.exitCode !== null) {
			throw new Error(`mcpd exited:\n${output}`);
		}

		// eslint-disable-next-line no-await-in-loop -- polling until it listens
		if (await accepts(port) && (!inspect || /ws:\/\/\S+/.test(output))) {
			return {
				pid: child.pid, base, inspector: /ws:\/\/\S+/.exec(output)?.[0], stop() {
					child.kill('SIGKILL');
				},
			};
		}

		// eslint-disable-next-line no-await-in-loop
		await sleep(100);
	}

	child.kill('SIGKILL');
	throw new Error(`mcpd did not listen within 30 s:\n${output}`);
}

/**
Whether something accepts connections on the port: a TCP connect and close, no HTTP request, so the idle figure is that of an mcpd no client has used.
@param port
*/
async function accepts(port) {
	return new Promise(resolve => {
		const socket = net.connect(port, '127.0.0.1');
		socket.once('connect', () => {
			socket.destroy();
			resolve(true);
		});
		socket.once('error', () => {
			resolve(false);
		});
	});
}

async function inspectorCall(mcpd, method, parameters = {}) {
	const socket = new WebSocket(mcpd.inspector);
	await new Promise((resolve, reject) => {
		socket.addEventListener('open', resolve, {once: true});
		socket.addEventListener('error', reject, {once: true});
	});
	const done = new Promise(resolve => {
		socket.addEventListener('message', event => {
			const message = JSON.parse(String(event.data));
			if (message.id === 1) {
				resolve(message.result);
			}
		});
	});
	socket.send(JSON.stringify({id: 1, method, params: parameters}));
	const result = await done;
	socket.close();
	return result;
}

const agent = new http.Agent({keepAlive: true, maxSockets: 16});

async function post(url, headers, message) {
	const body = JSON.stringify(message);
	return new Promise((resolve, reject) => {
		const outgoing = http.request(url, {
			agent, method: 'POST', headers: {
				Accept: 'application/json, text/event-stream', 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body), ...headers,
			},
		}, response => {
			response.resume();
			response.on('end', () => {
				resolve(response);
			});
		});
		outgoing.on('error', reject);
		outgoing.end(body);
	});
}

async function openIdleSession(url) {
	const response = await post(url, {}, {
		jsonrpc: '2.0', id: 0, method: 'initialize', params: {protocolVersion: '2025-11-25', capabilities: {}, clientInfo: {name: 'memory', version: '1'}},
	});
	if (response.statusCode !== 200) {
		throw new Error(`initialize: HTTP ${response.statusCode}`);
	}

	const headers = {'Mcp-Session-Id': response.headers['mcp-session-id'], 'MCP-Protocol-Version': '2025-11-25'};
	await post(url, headers, {jsonrpc: '2.0', method: 'notifications/initialized'});
}

async function idleRss() {
	const figures = [];
	for (let start = 0; start < Number(values.starts); start++) {
		// eslint-disable-next-line no-await-in-loop -- one mcpd at a time
		const mcpd = await startMcpd({inspect: false});
		// eslint-disable-next-line no-await-in-loop
		await sleep(Number(values.settle));
		figures.push(rssKib(mcpd.pid));
		mcpd.stop();
	}

	progress(`idle RSS (KiB): ${figures.join(', ')}; median ${median(figures)}`);
	return {idle_rss_kib: figures, idle_rss_median_kib: median(figures)};
}

async function perSession() {
	const counts = values.sessions.split(',').map(Number);
	const points = [];
	for (const count of counts) {
		// eslint-disable-next-line no-await-in-loop -- a fresh mcpd per count
		const mcpd = await startMcpd({inspect: true});
		const servers = Number(values.servers);
		// eslint-disable-next-line no-await-in-loop
		await runPool(count, 8, async index => openIdleSession(`${mcpd.base}/servers/echo${index % servers}/mcp`));
		// Twice: the first GC can leave what finalizers release for the second.
		for (let gc = 0; gc < 2; gc++) {
			// eslint-disable-next-line no-await-in-loop
			await inspectorCall(mcpd, 'HeapProfiler.collectGarbage');
		}

		// eslint-disable-next-line no-await-in-loop
		await sleep(500);
		// eslint-disable-next-line no-await-in-loop
		const heap = await inspectorCall(mcpd, 'Runtime.evaluate', {expression: 'process.memoryUsage().heapUsed', returnByValue: true});
		const point = {sessions: count, rss_kib: rssKib(mcpd.pid), heap_kib: Math.round(heap.result.value / 1024)};
		if (values.snapshot) {
			mkdirSync(values.snapshot, {recursive: true});
			const file = path.resolve(values.snapshot, `mcpd-${count}.heapsnapshot`);
			// eslint-disable-next-line no-await-in-loop
			const written = await inspectorCall(mcpd, 'Runtime.evaluate', {expression: `process.getBuiltinModule('v8').writeHeapSnapshot(${JSON.stringify(file)})`, returnByValue: true});
			if (written.exceptionDetails) {
				throw new Error(`heap snapshot: ${written.exceptionDetails.exception?.description}`);
			}

			progress(`heap snapshot ${file}`);
		}

		progress(`${count} sessions: RSS ${point.rss_kib} KiB, heap ${point.heap_kib} KiB`);
		points.push(point);
		mcpd.stop();
		agent.destroy();
	}

	const first = points[0];
	const last = points.at(-1);
	const span = last.sessions - first.sessions;
	const slope = key => span > 0 ? Math.round((last[key] - first[key]) / span * 10) / 10 : undefined;
	progress(`per session: RSS ${slope('rss_kib')} KiB, heap ${slope('heap_kib')} KiB`);
	return {points, rss_kib_per_session: slope('rss_kib'), heap_kib_per_session: slope('heap_kib')};
}

const skip = new Set(values.skip.split(',').filter(Boolean));
try {
	const result = {
		...(!skip.has('idle') && (await idleRss())),
		...(!skip.has('sessions') && (await perSession())),
	};
	if (values.json) {
		process.stdout.write(JSON.stringify(result) + '\n');
	}
} finally {
	rmSync(dir, {recursive: true, force: true});
}
