#!/usr/bin/env node
// The soak: many sessions opened, used and closed against one mcpd, to show
// that nothing accumulates. Every session is a real child (bench/echo-server.mjs);
// mcpd's RSS, open file descriptors and children are read from /proc at
// checkpoints. The first 500 sessions and the end are compared at rest (no
// child, no connection, after a full GC), and the run fails if anything grew.
// See bench/README.md.
import {execFileSync, spawn} from 'node:child_process';
import http from 'node:http';
import {existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {parseArgs} from 'node:util';
import {CLK_TCK, freePort, processTable, sleep} from './kit/bench-lib.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = path.join(root, 'bin/mcpd.js');
const echoServer = path.join(root, 'bench/echo-server.mjs');
const LEGACY_VERSION = '2025-11-25';
const MODERN_VERSION = '2026-07-28';
/**
Modern children idle out after this, so the run can end with none.
*/
const MODERN_IDLE_S = 2;
/**
The goals: RSS and live heap at the end within 10 % of their values after the first 500 sessions; no fd growth.
*/
const GROWTH_LIMIT = 0.1;
const BASELINE_AT = 500;

const HELP = `usage: node bench/soak.mjs [options]   (npm run bench:soak -- [options])

  --sessions N      sessions to open, use and close (default 10000)
  --parallel N      sessions at a time (default 16)
  --calls N         tools/call per session (default 3)
  --modern-every N  after every Nth session, one call from a new 2026-07-28 identity,
                    whose shared child idles out (default 10; 0: none)
  --quick           1000 sessions
  --trim            at each rest point, also ask glibc to hand its free memory back
                    (malloc_trim through gdb) and report the RSS after: what mcpd
                    holds, without what the allocator keeps for reuse
  --json            print the checkpoints as JSON as well
`;

function options() {
	const {values} = parseArgs({
		options: {
			sessions: {type: 'string', default: '10000'},
			parallel: {type: 'string', default: '16'},
			calls: {type: 'string', default: '3'},
			'modern-every': {type: 'string', default: '10'},
			quick: {type: 'boolean', default: false},
			trim: {type: 'boolean', default: false},
			json: {type: 'boolean', default: false},
			help: {type: 'boolean', default: false},
		},
	});
	if (values.help) {
		process.stdout.write(HELP);
		process.exit(0);
	}

	const count = (name, min) => {
		const value = Number(values[name]);
		if (!Number.isInteger(value) || value < min) {
			process.stderr.write(`--${name} must be a whole number ≥ ${min}\n\n${HELP}`);
			process.exit(2);
		}

		return value;
	};

	if (values.trim) {
		try {
			execFileSync('gdb', ['--version'], {stdio: 'ignore'});
		} catch {
			process.stderr.write('--trim needs gdb on PATH (Debian: apt-get install gdb)\n');
			process.exit(2);
		}
	}

	return {
		sessions: values.quick ? 1000 : count('sessions', BASELINE_AT + 1),
		parallel: count('parallel', 1),
		calls: count('calls', 1),
		modernEvery: count('modern-every', 0),
		json: values.json,
		trim: values.trim,
	};
}

const progress = line => process.stderr.write(`[bench:soak] ${line}\n`);

// ------------------------------------------------------------------ /proc

/**
Resident memory in KiB: all of it, the anonymous part (heaps, buffers) and the part mapped from files (node's own code, shared).
@param pid
*/
function memory(pid) {
	const status = readFileSync(`/proc/${pid}/status`, 'utf8');
	const field = name => Number(new RegExp(String.raw`^${name}:\s+(\d+) kB`, 'm').exec(status)[1]);
	return {rss: field('VmRSS'), anon: field('RssAnon'), file: field('RssFile')};
}

function fds(pid) {
	return readdirSync(`/proc/${pid}/fd`).length;
}

/**
Processes whose parent is `pid` in `table`: mcpd's children (each session's or identity's server).
@param pid
@param table
*/
function childrenOf(pid, table = processTable()) {
	let count = 0;
	for (const entry of table.values()) {
		if (entry.ppid === pid) {
			count++;
		}
	}

	return count;
}

// ------------------------------------------------------------------ mcpd

async function startMcpd(dir) {
	const port = await freePort();
	const config = path.join(dir, 'mcpd.toml');
	writeFileSync(config, [
		'[http]',
		`port = ${port}`,
		'[sessions]',
		'max_total = 0',
		'[server.echo]',
		`command = ${JSON.stringify(process.execPath)}`,
		`args = [${JSON.stringify(echoServer)}]`,
		'header_env = { "x-soak-user" = "SOAK_USER" }',
		`idle_timeout = ${MODERN_IDLE_S}`,
		'',
	].join('\n'));
	// The inspector lets the bench ask for a full GC at rest (nothing else uses it): what is left then is what mcpd holds.
	const child = spawn(process.execPath, ['--inspect=127.0.0.1:0', bin, '--no-tui', '--log-level', 'warn', '--config', config], {stdio: ['ignore', 'ignore', 'pipe']});
	let output = '';
	child.stderr.setEncoding('utf8').on('data', chunk => {
		output = (output + chunk).slice(-8192);
	});
	const exited = new Promise(resolve => {
		child.once('exit', resolve);
	});
	const base = `http://127.0.0.1:${port}`;
	const listening = async () => {
		try {
			return (await fetch(`${base}/healthz`)).ok;
		} catch {
			return false;
		}
	};

	for (const deadline = Date.now() + 20_000; Date.now() < deadline;) {
		if (child.exitCode !== null) {throw new Error(`mcpd exited before answering /healthz:\n${output}`);}
		// eslint-disable-next-line no-await-in-loop -- polling until it listens
		if (await listening()) {
			const inspector = /ws:\/\/\S+/.exec(output)?.[0];
			if (!inspector) {break;}
			return {
				pid: child.pid, url: `${base}/servers/echo/mcp`, metrics: `${base}/metrics`, inspector, output: () => output, exited, kill: signal => child.kill(signal),
			};
		}

		// eslint-disable-next-line no-await-in-loop
		await sleep(100);
	}

	child.kill('SIGKILL');
	throw new Error(`mcpd did not answer /healthz (or its inspector did not say where it listens) within 20 s:\n${output}`);
}

/**
A full garbage collection in mcpd, through its inspector (`HeapProfiler.collectGarbage`).
@param mcpd
*/
async function collectGarbage(mcpd) {
	const socket = new WebSocket(mcpd.inspector);
	try {
		await new Promise((resolve, reject) => {
			socket.addEventListener('open', resolve, {once: true});
			socket.addEventListener('error', () => reject(new Error(`no inspector at ${mcpd.inspector}`)), {once: true});
		});
		const done = new Promise(resolve => {
			socket.addEventListener('message', event => {
				if (JSON.parse(String(event.data)).id === 1) {resolve();}
			});
		});
		socket.send(JSON.stringify({id: 1, method: 'HeapProfiler.collectGarbage'}));
		await done;
	} finally {
		// Its descriptor in mcpd must be gone before the next count.
		const closed = new Promise(resolve => {
			socket.addEventListener('close', resolve, {once: true});
		});
		socket.close();
		await closed;
		await sleep(100);
	}
}

// ------------------------------------------------------------------ one session

const ACCEPT = 'application/json, text/event-stream';

/**
 The bench's connections to mcpd, kept alive between requests as a client's
 would be, and closed before each count of mcpd's descriptors so that only
 what mcpd itself holds is counted.
 */
let agent = new http.Agent({keepAlive: true});

function closeConnections() {
	agent.destroy();
	agent = new http.Agent({keepAlive: true});
}

/**
One request; resolves with status, headers and the whole body as text.
@param url
@param root0
@param root0.method
@param root0.headers
@param root0.body
*/
async function request(url, {method = 'GET', headers = {}, body} = {}) {
	return new Promise((resolve, reject) => {
		const outgoing = http.request(url, {agent, method, headers: body === undefined ? headers : {...headers, 'Content-Length': Buffer.byteLength(body)}}, response => {
			let text = '';
			response.setEncoding('utf8');
			response.on('data', chunk => {
				text += chunk;
			});
			response.on('end', () => {
				resolve({status: response.statusCode, headers: response.headers, text});
			});
			response.on('error', reject);
		});
		outgoing.on('error', reject);
		outgoing.end(body);
	});
}

/**
The JSON-RPC answer with `id` from a JSON or SSE body.
@param type
@param text
@param id
*/
function answerOf(type, text, id) {
	if (type.startsWith('application/json')) {return JSON.parse(text);}
	for (const line of text.split('\n')) {
		if (!line.startsWith('data:')) {continue;}
		const message = JSON.parse(line.slice(5));
		if (message.id === id && message.method === undefined) {return message;}
	}

	throw new Error(`no answer with id ${id} in: ${text.slice(0, 200)}`);
}

async function post(url, headers, message) {
	const response = await request(url, {method: 'POST', headers: {Accept: ACCEPT, 'Content-Type': 'application/json', ...headers}, body: JSON.stringify(message)});
	const {text} = response;
	if (message.id === undefined) {
		if (response.status !== 202) {throw new Error(`${message.method}: HTTP ${response.status} ${text}`);}
		return {response};
	}

	if (response.status !== 200) {throw new Error(`${message.method}: HTTP ${response.status} ${text.slice(0, 300)}`);}
	const answer = answerOf(response.headers['content-type'] ?? '', text, message.id);
	if (answer.id !== message.id || answer.error) {throw new Error(`${message.method}: ${JSON.stringify(answer).slice(0, 300)}`);}
	return {response, answer};
}

function checkEcho(answer, text) {
	const got = answer.result?.content?.[0]?.text;
	if (got !== text) {throw new Error(`echo of ${JSON.stringify(text)} came back as ${JSON.stringify(got)}`);}
}

async function legacySession(url, index, calls) {
	let deleteStatus;
	const {response, answer} = await post(url, {}, {
		jsonrpc: '2.0',
		id: 0,
		method: 'initialize',
		params: {protocolVersion: LEGACY_VERSION, capabilities: {}, clientInfo: {name: 'soak', version: '1'}},
	});
	const headers = {'Mcp-Session-Id': response.headers['mcp-session-id'], 'MCP-Protocol-Version': answer.result.protocolVersion};
	try {
		await post(url, headers, {jsonrpc: '2.0', method: 'notifications/initialized'});
		for (let call = 1; call <= calls; call++) {
			// Sizes from 10 bytes to 10 KiB, so buffers of several sizes are made and dropped.
			const text = `s${index}c${call}:${'x'.repeat(10 ** ((index + call) % 4 + 1))}`;
			// eslint-disable-next-line no-await-in-loop -- a session's calls one after another
			checkEcho((await post(url, headers, {
				jsonrpc: '2.0', id: call, method: 'tools/call', params: {name: 'echo', arguments: {message: text}},
			})).answer, text);
		}
	} finally {
		// Closed whatever happened above; a failed DELETE is counted as the session's error.
		const closed = await request(url, {method: 'DELETE', headers});
		deleteStatus = closed.status;
	}

	if (deleteStatus !== 200 && deleteStatus !== 204) {
		throw new Error(`DELETE: HTTP ${deleteStatus}`);
	}
}

async function modernCall(url, index) {
	const text = `identity ${index}`;
	const meta = {
		'io.modelcontextprotocol/protocolVersion': MODERN_VERSION,
		'io.modelcontextprotocol/clientInfo': {name: 'soak', version: '1'},
		'io.modelcontextprotocol/clientCapabilities': {},
	};
	const {answer} = await post(url, {
		'MCP-Protocol-Version': MODERN_VERSION, 'Mcp-Method': 'tools/call', 'Mcp-Name': 'echo', 'x-soak-user': `user-${index}`,
	}, {
		jsonrpc: '2.0',
		id: 1,
		method: 'tools/call',
		params: {name: 'echo', arguments: {message: text}, _meta: meta},
	});
	checkEcho(answer, text);
}

// ------------------------------------------------------------------ the run

/**
mcpd's own view of its memory, from its Prometheus endpoint: tells a heap that grows from an RSS that only does not shrink.
@param mcpd
*/
async function heapOf(mcpd) {
	const {text} = await request(mcpd.metrics);
	const read = name => Number(new RegExp(String.raw`^mcpd_${name} (\S+)$`, 'm').exec(text)?.[1] ?? NaN) / 1024 / 1024;
	return {heapMiB: round(read('nodejs_heap_size_used_bytes')), heapTotalMiB: round(read('nodejs_heap_size_total_bytes')), externalMiB: round(read('nodejs_external_memory_bytes'))};
}

const round = value => Math.round(value * 10) / 10;
const mib = ({rss, anon, file}) => ({rssMiB: round(rss / 1024), anonMiB: round(anon / 1024), fileMiB: round(file / 1024)});

/**
 Asks glibc's malloc to return its free pages to the kernel, from outside,
 through gdb. After many spawns the main arena's heap is full of free holes
 that glibc keeps (it only gives back the top of the heap on its own): the
 RSS after this is what mcpd's live allocations take.
 @param pid mcpd's process id
 */
function mallocTrim(pid) {
	const output = execFileSync('gdb', ['-p', String(pid), '-batch', '-ex', 'call (int) malloc_trim(0)'], {encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe']});
	if (!/^\$1 = [01]$/m.test(output)) {
		throw new Error(`gdb could not call malloc_trim in mcpd: ${output.trim().split('\n').at(-1)}`);
	}
}

async function sample(mcpd, done, started) {
	// Read before asking for /metrics, whose connection would be counted.
	const table = processTable();
	const point = {
		sessions: done,
		seconds: round((performance.now() - started) / 1000),
		...mib(memory(mcpd.pid)),
		fds: fds(mcpd.pid),
		children: childrenOf(mcpd.pid, table),
		cpuS: round(table.get(mcpd.pid).own / CLK_TCK),
	};
	return {...point, ...await heapOf(mcpd)};
}

async function main() {
	const opts = options();
	if (!existsSync(path.join(root, 'dist/cli.js'))) {
		progress('dist/ is missing: npm run build');
		execFileSync('npm', ['run', 'build'], {cwd: root, stdio: ['ignore', 'inherit', 'inherit']});
	}

	const dir = mkdtempSync(path.join(tmpdir(), 'mcpd-soak-'));
	const mcpd = await startMcpd(dir);
	const stop = () => mcpd.kill('SIGTERM');
	process.once('SIGINT', stop);
	const checkpoints = [{...await sample(mcpd, 0, performance.now()), label: 'start'}];
	const errors = new Map();
	const counts = {done: 0, failed: 0, modern: 0};
	const started = performance.now();
	const every = Math.max(500, Math.ceil(opts.sessions / 20 / 500) * 500);
	progress(`mcpd pid ${mcpd.pid}: ${opts.sessions} sessions, ${opts.parallel} at a time, ${opts.calls} calls each${opts.modernEvery > 0 ? `, a new modern identity every ${opts.modernEvery}` : ''}`);
	const run = async (from, to) => {
		let next = from;
		await Promise.all(Array.from({length: opts.parallel}, async () => {
			while (next < to) {
				const index = next++;
				try {
					// eslint-disable-next-line no-await-in-loop -- each worker one session at a time
					await legacySession(mcpd.url, index, opts.calls);
					if (opts.modernEvery > 0 && index % opts.modernEvery === 0) {
						counts.modern++;
						// eslint-disable-next-line no-await-in-loop
						await modernCall(mcpd.url, index);
					}
				} catch (error) {
					counts.failed++;
					const key = String(error.message).replaceAll(/\d+/g, 'N').slice(0, 120);
					errors.set(key, (errors.get(key) ?? 0) + 1);
				}

				counts.done++;
				if (counts.done % every === 0 && counts.done !== to) {
					// eslint-disable-next-line no-await-in-loop -- a checkpoint now and then
					const point = await sample(mcpd, counts.done, started);
					checkpoints.push(point);
					progress(`${point.sessions} sessions, ${point.seconds} s: rss ${point.rssMiB} MiB, ${point.fds} fds, ${point.children} children`);
				}
			}
		}));
	};

	/**
	Waits for every child to go (the last legacy ones at DELETE, modern ones at their idle timeout), then samples.
	@param label
	*/
	const settled = async label => {
		const by = Date.now() + (MODERN_IDLE_S + 10) * 1000;
		while (childrenOf(mcpd.pid) > 0 && Date.now() < by) {
			// eslint-disable-next-line no-await-in-loop -- polling
			await sleep(250);
		}

		closeConnections();
		// Mcpd sees the bench's connections close on its next turn.
		await sleep(300);
		await collectGarbage(mcpd);
		const point = {...await sample(mcpd, counts.done, started), label};
		if (opts.trim) {
			mallocTrim(mcpd.pid);
			point.trimmedRssMiB = mib(memory(mcpd.pid)).rssMiB;
		}

		checkpoints.push(point);
		progress(`${label}: ${point.sessions} sessions, rss ${point.rssMiB} MiB${opts.trim ? ` (${point.trimmedRssMiB} MiB after malloc_trim)` : ''}, heap ${point.heapMiB} MiB, ${point.fds} fds, ${point.children} children`);
		return point;
	};

	try {
		// The baseline is taken at rest after the first 500, as the end is: both with no child alive.
		await run(0, BASELINE_AT);
		const baseline = await settled('settled');
		// A rest point halfway tells growth that levels off (fragmentation finding its level) from a leak, which keeps its pace.
		const half = Math.round((BASELINE_AT + opts.sessions) / 2);
		await run(BASELINE_AT, half);
		await settled('settled');
		await run(half, opts.sessions);
		const end = await settled('end, settled');
		const rssGrowth = end.rssMiB / baseline.rssMiB - 1;
		const heapGrowth = end.heapMiB / baseline.heapMiB - 1;
		const results = {
			sessions: opts.sessions,
			parallel: opts.parallel,
			calls: opts.calls,
			modernIdentities: counts.modern,
			failed: counts.failed,
			errors: Object.fromEntries(errors),
			sessionsPerSecond: Math.round(counts.done / (end.seconds || 1)),
			baseline,
			end,
			rssGrowth: Math.round(rssGrowth * 1000) / 10,
			heapGrowth: Math.round(heapGrowth * 1000) / 10,
			trimmedGrowth: opts.trim ? Math.round((end.trimmedRssMiB / baseline.trimmedRssMiB - 1) * 1000) / 10 : undefined,
			fdGrowth: end.fds - baseline.fds,
		};
		print(results, checkpoints, opts);
		const ok = counts.failed === 0 && baseline.children === 0 && end.children === 0 && rssGrowth <= GROWTH_LIMIT && heapGrowth <= GROWTH_LIMIT && end.fds <= baseline.fds;
		process.exitCode = ok ? 0 : 1;
	} finally {
		stop();
		await Promise.race([mcpd.exited, sleep(10_000)]);
		rmSync(dir, {recursive: true, force: true});
	}
}

function print(results, checkpoints, opts) {
	const lines = [
		`soak: ${results.sessions} legacy sessions (${results.calls} calls each, ${results.parallel} at a time) and ${results.modernIdentities} modern identities in ${results.end.seconds} s (${results.sessionsPerSecond} sessions/s)`,
		'',
		'| after | seconds | mcpd RSS MiB | anon | file | heap used MiB | heap total MiB | external MiB | open fds | children | mcpd CPU s |',
		'|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
		...checkpoints.map(point => `| ${point.sessions}${point.label ? ` (${point.label})` : ''} | ${point.seconds} | ${point.rssMiB} | ${point.anonMiB} | ${point.fileMiB} | ${point.heapMiB} | ${point.heapTotalMiB} | ${point.externalMiB} | ${point.fds} | ${point.children} | ${point.cpuS} |`),
		'',
		`errors: ${results.failed}${results.failed > 0 ? ` ${JSON.stringify(results.errors)}` : ''}`,
		`children at the end: ${results.end.children} (goal 0)`,
		`RSS at rest after ${BASELINE_AT} → at the end: ${results.baseline.rssMiB} → ${results.end.rssMiB} MiB (${results.rssGrowth >= 0 ? '+' : ''}${results.rssGrowth} %, goal ≤ +${GROWTH_LIMIT * 100} %)`,
		...(opts.trim ? [`RSS at rest after malloc_trim, after ${BASELINE_AT} → at the end: ${results.baseline.trimmedRssMiB} → ${results.end.trimmedRssMiB} MiB (${results.trimmedGrowth >= 0 ? '+' : ''}${results.trimmedGrowth} %; what glibc kept free, not mcpd)`] : []),
		`live heap at rest after ${BASELINE_AT} → at the end: ${results.baseline.heapMiB} → ${results.end.heapMiB} MiB (${results.heapGrowth >= 0 ? '+' : ''}${results.heapGrowth} %, goal ≤ +${GROWTH_LIMIT * 100} %)`,
		`open fds at rest after ${BASELINE_AT} → at the end: ${results.baseline.fds} → ${results.end.fds} (goal: no growth)`,
	];
	process.stdout.write(lines.join('\n') + '\n');
	if (opts.json) {process.stdout.write(JSON.stringify({results, checkpoints}, null, 2) + '\n');}
}

await main();
