#!/usr/bin/env node
// Where mcpd's own CPU goes during workload B: runs mcpd under `node --cpu-prof`
// behind the echo server, drives it with the kit's HTTP load client (16 sessions
// × 4 in flight by default), stops it, and sums the profile's self time by
// where the code lives. Per call, so runs of different lengths compare.
//
//   node bench/profile.mjs [--sessions 16] [--requests 500] [--top 25] [--keep DIR]
import {execFileSync, spawn} from 'node:child_process';
import {mkdtempSync, readdirSync, readFileSync, rmSync} from 'node:fs';
import {createServer} from 'node:net';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {parseArgs} from 'node:util';

const root = fileURLToPath(new URL('..', import.meta.url));
const {values} = parseArgs({
	options: {
		sessions: {type: 'string', default: '16'},
		requests: {type: 'string', default: '500'},
		top: {type: 'string', default: '25'},
		keep: {type: 'string'},
	},
});

const freePort = () => new Promise(resolve => {
	const server = createServer().listen(0, '127.0.0.1', () => {
		const {port} = server.address();
		server.close(() => {
			resolve(port);
		});
	});
});

/**
The bucket a frame's self time is counted in: mcpd's own files by name, libraries by package, Node by module.
@param frame
*/
function bucket(frame) {
	const {url, functionName} = frame.callFrame;
	if (url === '') {return functionName.startsWith('(') ? functionName : `native ${functionName || '(anonymous)'}`;}
	const ours = /\/dist\/(.+)$/.exec(url);
	if (ours && !url.includes('/node_modules/')) {return `mcpd ${ours[1]}`;}
	const library = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
	if (library) {return `lib ${library[1]}`;}
	return url.startsWith('node:') ? url : url;
}

/**
Self time per node over the load only: the profile's clock is the monotonic one `hrtime` reads, in µs.
@param profile
@param calls
@param top
@param window
*/
function summarize(profile, calls, top, window) {
	const dt = new Map();
	const {samples, timeDeltas, nodes} = profile;
	const byId = new Map(nodes.map(node => [node.id, node]));
	let at = profile.startTime;
	for (const [index, id] of samples.entries()) {
		const delta = timeDeltas[index] ?? 0;
		at += delta;
		if (at >= window.from && at <= window.to) {dt.set(id, (dt.get(id) ?? 0) + delta);}
	}

	const sums = new Map();
	const functions = new Map();
	let total = 0;
	for (const [id, micros] of dt) {
		const node = byId.get(id);
		total += micros;
		const key = bucket(node);
		sums.set(key, (sums.get(key) ?? 0) + micros);
		const name = `${node.callFrame.functionName || '(anonymous)'} ${key}:${node.callFrame.lineNumber + 1}`;
		functions.set(name, (functions.get(name) ?? 0) + micros);
	}

	const busy = total - (sums.get('(idle)') ?? 0) - (sums.get('(program)') ?? 0);
	const share = test => [...sums].filter(([name]) => test(name)).reduce((sum, [, micros]) => sum + micros, 0);
	const groups = [
		['native writeUtf8String (write(2) of answers and child stdin batches)', name => name === 'native writeUtf8String'],
		['Node\'s HTTP stack and fastify', name => name.startsWith('node:_http') || name === 'node:net' || name === 'lib fastify' || name === 'lib find-my-way'],
		['mcpd\'s own code', name => name.startsWith('mcpd ')],
		['  of which JSON.parse of bodies and child lines', name => name === 'mcpd http/json-body.js' || name === 'mcpd core/child-unit.js'],
		['  of which the latency recorder', name => name.startsWith('mcpd core/metrics/')],
		['prom-client', name => name === 'lib prom-client'],
		['garbage collector', name => name === '(garbage collector)'],
	];
	const grouped = groups.filter(([label]) => !label.startsWith(' ')).reduce((sum, [, test]) => sum + share(test), 0);
	const line = ([name, micros]) => `${(micros / calls).toFixed(2).padStart(7)} µs/call ${((micros / busy) * 100).toFixed(1).padStart(5)} %  ${name}`;
	const rank = map => [...map].filter(([name]) => !name.startsWith('(idle)') && !name.startsWith('(program)')).sort((a, b) => b[1] - a[1]).slice(0, top);
	return [
		`busy: ${(busy / calls).toFixed(1)} µs per call over ${calls} calls, from the first session to the last answer (idle and (program) left out)`,
		'',
		'summary:',
		...groups.map(([label, test]) => line([label, share(test)])),
		line(['the rest (streams, events, ticks, timers...)', busy - grouped]),
		'',
		'by where the code lives:',
		...rank(sums).map(line),
		'',
		'by function:',
		...rank(functions).map(line),
	].join('\n');
}

const dir = values.keep ?? mkdtempSync(path.join(tmpdir(), 'mcpd-profile-'));
const port = await freePort();
const mcpd = spawn(process.execPath, ['--cpu-prof', '--cpu-prof-dir', dir, path.join(root, 'bin/mcpd.js'), '--no-tui', '--log-level', 'warn', '--port', String(port), '--', process.execPath, path.join(root, 'bench/echo-server.mjs')], {stdio: ['ignore', 'ignore', 'inherit']});
try {
	for (let tries = 0; ; tries++) {
		try {
			// eslint-disable-next-line no-await-in-loop -- polling for the port
			await fetch(`http://127.0.0.1:${port}/healthz`);
			break;
		} catch (error) {
			if (tries > 100) {throw error;}
			// eslint-disable-next-line no-await-in-loop -- polling for the port
			await new Promise(resolve => {
				setTimeout(resolve, 100);
			});
		}
	}

	const from = Number(process.hrtime.bigint() / 1000n);
	const report = JSON.parse(execFileSync(process.execPath, [path.join(root, 'bench/kit/mcp-http-bench.mjs'), '--json', '--url', `http://127.0.0.1:${port}/mcp`, '--sessions', values.sessions, '--requests', values.requests, '--concurrency', '4', '--warmup', '0'], {encoding: 'utf8'}).trim().split('\n').at(-1));
	const window = {from, to: Number(process.hrtime.bigint() / 1000n)};
	mcpd.kill('SIGTERM');
	await new Promise(resolve => {
		mcpd.once('close', resolve);
	});
	const file = readdirSync(dir).find(name => name.endsWith('.cpuprofile'));
	if (!file) {throw new Error(`no profile in ${dir}`);}
	process.stdout.write(`workload B: ${values.sessions} sessions × ${values.requests} calls, ${report.throughput.callsPerSec} calls/s, ${report.errors.total} errors\n`);
	process.stdout.write(`${summarize(JSON.parse(readFileSync(path.join(dir, file), 'utf8')), report.calls.ok, Number(values.top), window)}\n`);
} finally {
	if (mcpd.exitCode === null) {mcpd.kill('SIGKILL');}
	if (!values.keep) {rmSync(dir, {recursive: true, force: true});}
}
