#!/usr/bin/env node
// Modern-era throughput (MCP 2026-07-28: no initialize, no session id, a child
// leased per identity) beside legacy workload B (one session, one child), in
// one run against real mcpd processes, so the two eras meet on the same
// machine at the same time. The goal: modern calls through shared children
// reach at least 0.8x legacy B.
//
//   node bench/modern.mjs                 # 3 repeats x 1000 calls per client, about a minute
//   node bench/modern.mjs --quick         # 1 repeat x 200 calls, seconds (noisier)
//   node bench/modern.mjs --legacy-only   # legacy B only (works on any mcpd)
//   node bench/modern.mjs --json          # raw results as one JSON object
//
// Every variant runs S clients (--sessions, 16) with 4 calls in flight each
// (--inflight), a 100-byte echo call, against an mcpd started for it alone:
//   legacy B        S sessions: initialize 2025-11-25, then tools/call, DELETE
//   per-identity    S modern clients, each its own x-bench-user: S identities
//   shared N=n      S modern clients, one x-bench-user: one identity spread
//                   over `modern_children = n` children (--children, 1,4)
// Each client first makes --warmup calls (they spawn the children), then the
// timed calls. calls/s counts good answers over the timed phase; mcpd's CPU
// (itself, and with its children) comes from /proc before and after it.
//
// `[server.echo] modern_children` only exists once the modern front is merged:
// an mcpd without it refuses the shared variants' config (unknown key, exit 2)
// and this script stops there with mcpd's message. Legacy B and per-identity use
// a config without the key, so they run on any mcpd (per-identity then gets
// that mcpd's default, which should be one child per identity).
//
// Exit status: 0 all good, 1 an mcpd did not start or died, or calls failed,
// 2 usage.
import {execFileSync, spawn} from 'node:child_process';
import {existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import http from 'node:http';
import {cpus, tmpdir} from 'node:os';
import path from 'node:path';
import {performance} from 'node:perf_hooks';
import {fileURLToPath} from 'node:url';
import {parseArgs} from 'node:util';
import {CLK_TCK, freePort, processTable} from './kit/bench-lib.mjs';

const LEGACY_VERSION = '2025-11-25';
const MODERN_VERSION = '2026-07-28';
const GOAL = 0.8;
const TOOL = 'echo';
const ENDPOINT = '/servers/echo/mcp';
/**
The shared kit's workload B sends 100-byte messages; the same here keeps the figures comparable with README's.
*/
const PAYLOAD_BYTES = 100;
const START_TIMEOUT_MS = 20_000;
const STOP_TIMEOUT_MS = 10_000;

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = path.join(root, 'bin/mcpd.js');
const echoServer = path.join(root, 'bench/echo-server.mjs');

const HELP = `usage: node bench/modern.mjs [options]

  --sessions S      concurrent clients / legacy sessions (default 16)
  --calls K         timed calls per client (default 1000; --quick 200)
  --inflight C      calls in flight per client (default 4)
  --warmup W        untimed calls per client before the timed ones (default 50; --quick 20)
  --reps R          repeats; the table shows medians (default 3; --quick 1)
  --children LIST   modern_children values for the shared variant (default 1,4)
  --timeout-ms MS   per-call timeout (default 10000)
  --quick           R=1, K=200
  --legacy-only     legacy B only
  --json            print the raw results as one JSON object (progress goes to stderr)
`;

class UsageError extends Error {}

class StartError extends Error {}

/**
A failed call, typed so that the report can count failures by kind.
*/
class CallError extends Error {
	constructor(type, detail) {
		super(detail);
		this.type = type;
	}
}

function parseOptions(argv) {
	let values;
	try {
		({values} = parseArgs({
			args: argv,
			strict: true,
			options: {
				sessions: {type: 'string'},
				calls: {type: 'string'},
				inflight: {type: 'string'},
				warmup: {type: 'string'},
				reps: {type: 'string'},
				children: {type: 'string'},
				'timeout-ms': {type: 'string'},
				quick: {type: 'boolean'},
				'legacy-only': {type: 'boolean'},
				json: {type: 'boolean'},
				help: {type: 'boolean', short: 'h'},
			},
		}));
	} catch (error) {
		throw new UsageError(error.message);
	}

	if (values.help) {
		process.stdout.write(HELP);
		process.exit(0);
	}

	const integer = (name, fallback, minimum) => {
		const raw = values[name];
		if (raw === undefined) {return fallback;}
		const value = Number(raw);
		if (!Number.isInteger(value) || value < minimum) {throw new UsageError(`--${name} must be an integer ≥ ${minimum} (got ${raw})`);}
		return value;
	};

	const quick = Boolean(values.quick);
	const children = (values.children ?? '1,4').split(',').map(item => item.trim()).filter(Boolean).map(Number);
	if (children.some(n => !Number.isInteger(n) || n < 1)) {throw new UsageError(`--children must list integers ≥ 1 (got ${values.children})`);}
	return {
		sessions: integer('sessions', 16, 1),
		calls: integer('calls', quick ? 200 : 1000, 1),
		inflight: integer('inflight', 4, 1),
		warmup: integer('warmup', quick ? 20 : 50, 0),
		reps: integer('reps', quick ? 1 : 3, 1),
		timeoutMs: integer('timeout-ms', 10_000, 1),
		children,
		quick,
		legacyOnly: Boolean(values['legacy-only']),
		json: Boolean(values.json),
	};
}

const sleep = ms => new Promise(resolve => {
	setTimeout(resolve, ms);
});

const progress = line => process.stderr.write(`[bench:modern] ${line}\n`);

// ------------------------------------------------------------------ statistics

/**
Nearest-rank percentile, as the shared kit computes it, so p99 here means what it means there.
@param sorted
@param q
*/
function percentile(sorted, q) {
	return sorted.length === 0 ? undefined : sorted[Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length))) - 1];
}

function median(values) {
	const numbers = values.filter(value => typeof value === 'number' && Number.isFinite(value)).sort((a, b) => a - b);
	if (numbers.length === 0) {return undefined;}
	const middle = Math.floor(numbers.length / 2);
	return numbers.length % 2 === 1 ? numbers[middle] : (numbers[middle - 1] + numbers[middle]) / 2;
}

const round = (value, digits = 1) => (typeof value === 'number' ? Math.round(value * (10 ** digits)) / (10 ** digits) : value);

/**
Failures counted by kind, with a few verbatim samples: the first ones say what is wrong.
*/
class ErrorLog {
	total = 0;
	byType = {};
	samples = [];

	add(type, detail) {
		this.total++;
		this.byType[type] = (this.byType[type] ?? 0) + 1;
		// Distinct samples only: a hundred copies of one refusal say less than two different ones.
		const sample = `${type}: ${String(detail).slice(0, 300)}`;
		if (this.samples.length < 3 && !this.samples.includes(sample)) {this.samples.push(sample);}
	}

	merge(other) {
		for (const [type, count] of Object.entries(other.byType)) {this.byType[type] = (this.byType[type] ?? 0) + count;}
		this.total += other.total;
		for (const sample of other.samples) {
			if (this.samples.length < 3 && !this.samples.includes(sample)) {this.samples.push(sample);}
		}
	}

	toJSON() {
		return {total: this.total, byType: this.byType, samples: this.samples};
	}
}

// ------------------------------------------------------------------ /proc

function descendants(table, rootPid) {
	const found = [];
	const queue = [rootPid];
	while (queue.length > 0) {
		const parent = queue.shift();
		for (const [pid, entry] of table) {
			if (entry.ppid !== parent) {
				continue;
			}

			found.push(pid);
			queue.push(pid);
		}
	}

	return found;
}

/**
 Mcpd's CPU (ms), alone and with its whole tree: the children's share matters
 too, since a shared child does the work of many per-session ones.
 @param pid
 */
function cpuOf(pid) {
	const table = processTable();
	const self = table.get(pid);
	if (!self) {return undefined;}
	const tree = descendants(table, pid);
	let ticks = self.own + self.reaped;
	for (const child of tree) {ticks += table.get(child).own + table.get(child).reaped;}
	return {
		mcpdMs: (self.own * 1000) / CLK_TCK,
		treeMs: (ticks * 1000) / CLK_TCK,
		children: tree.filter(child => table.get(child).ppid === pid).length,
	};
}

/**
Busy CPU ms of the whole machine (all cores), from the first line of /proc/stat.
*/
function machineBusyMs() {
	try {
		const [user, nice, system, , , irq, softirq, steal] = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0].trim().split(/\s+/).slice(1).map(Number);
		return ((user + nice + system + irq + softirq + (steal || 0)) * 1000) / CLK_TCK;
	} catch {
		return undefined;
	}
}

/**
This script's own CPU ms: the load generator shares the machine with mcpd, and is not foreign load.
*/
function ownCpuMs() {
	const {user, system} = process.cpuUsage();
	return (user + system) / 1000;
}

/**
A timed phase in which other programs took more than this share of the machine is flagged as disturbed.
*/
const FOREIGN_LIMIT = 0.1;

// ------------------------------------------------------------------ mcpd

function configText(port, modernChildren) {
	const lines = [
		'[http]',
		`port = ${port}`,
		'',
		'[sessions]',
		'max_total = 0',
		'',
		'[server.echo]',
		// JSON strings are valid TOML basic strings, whatever the path holds.
		`command = ${JSON.stringify(process.execPath)}`,
		`args = [${JSON.stringify(echoServer)}]`,
		'header_env = { "x-bench-user" = "BENCH_USER" }',
	];
	if (modernChildren !== undefined) {lines.push(`modern_children = ${modernChildren}`);}
	return lines.join('\n') + '\n';
}

/**
The mcpd now running, so that Ctrl+C or a crash of this script still stops it.
*/
let current;

async function startMcpd(modernChildren) {
	// The free port may be taken between probe and listen; a second try settles it.
	for (let attempt = 1; ; attempt++) {
		try {
			return await startMcpdOnce(modernChildren);
		} catch (error) {
			if (!(error instanceof StartError) || !error.portInUse || attempt === 3) {throw error;}
		}
	}
}

async function startMcpdOnce(modernChildren) {
	const port = await freePort();
	const dir = mkdtempSync(path.join(tmpdir(), 'mcpd-modern-bench-'));
	const configFile = path.join(dir, 'mcpd.toml');
	writeFileSync(configFile, configText(port, modernChildren));
	const child = spawn(process.execPath, [bin, '--no-tui', '--log-level', 'warn', '--config', configFile], {
		cwd: root,
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let output = '';
	const keep = chunk => {
		output = (output + chunk).slice(-8192);
	};

	child.stdout.setEncoding('utf8').on('data', keep);
	child.stderr.setEncoding('utf8').on('data', keep);
	let exit;
	const exited = new Promise(resolve => {
		child.once('exit', (code, signal) => {
			exit = {code, signal};
			resolve(exit);
		});
		child.once('error', error => {
			exit = {code: undefined, signal: undefined, error};
			resolve(exit);
		});
	});

	const mcpd = {
		pid: child.pid,
		port,
		modernChildren,
		output: () => output.trim(),
		alive: () => exit === undefined,
		exitText: () => (exit?.error ? exit.error.message : (exit?.signal ? `killed by ${exit.signal}` : `exit status ${exit?.code}`)),
		async stop() {
			// Only this mcpd's tree, and only processes that are still the same ones (start time), are checked for leaks.
			const table = processTable();
			const tree = descendants(table, child.pid).map(pid => ({pid, start: table.get(pid).start}));
			let forced = false;
			if (exit === undefined) {
				child.kill('SIGTERM');
				const timer = setTimeout(() => {
					forced = true;
					child.kill('SIGKILL');
				}, STOP_TIMEOUT_MS);
				await exited;
				clearTimeout(timer);
			}

			current = current === mcpd ? undefined : current;
			rmSync(dir, {recursive: true, force: true});
			// MCPD reaps its children on SIGTERM; anything of its tree still here is a leak to report and end.
			await sleep(200);
			const after = processTable();
			const leaked = tree.filter(({pid, start}) => after.get(pid)?.start === start).map(({pid}) => pid);
			for (const pid of leaked) {
				try {
					process.kill(pid, 'SIGKILL');
				} catch {}
			}

			return {forced, leaked};
		},
	};
	current = mcpd;

	const deadline = Date.now() + START_TIMEOUT_MS;
	while (Date.now() < deadline) {
		if (exit !== undefined) {
			rmSync(dir, {recursive: true, force: true});
			current = undefined;
			const error = new StartError(startFailure(mcpd, `mcpd exited (${mcpd.exitText()}) before answering /healthz`));
			error.portInUse = /in use/.test(output);
			throw error;
		}

		try {
			const response = await fetch(`http://127.0.0.1:${port}/healthz`, {signal: AbortSignal.timeout(1000)});
			await response.arrayBuffer();
			if (response.ok) {return mcpd;}
		} catch {}

		await sleep(100);
	}

	await mcpd.stop();
	throw new StartError(startFailure(mcpd, `mcpd did not answer /healthz within ${START_TIMEOUT_MS / 1000} s`));
}

function startFailure(mcpd, what) {
	const lines = [`${what}.`, `command: ${process.execPath} ${bin} --no-tui --log-level warn --config <tmp>/mcpd.toml`];
	if (mcpd.modernChildren !== undefined) {lines.push(`config: [server.echo] modern_children = ${mcpd.modernChildren}`);}
	const output = mcpd.output();
	lines.push(output ? `mcpd said:\n${output.replaceAll(/^/gm, '  ')}` : 'mcpd said nothing.');
	if (/modern_children/.test(output)) {
		lines.push('This mcpd has no modern front yet (it does not know modern_children): run with --legacy-only, or against a build that has it.');
	}

	return lines.join('\n');
}

// ------------------------------------------------------------------ HTTP

/**
One agent for every era and variant: keep-alive sockets, as any real client would hold.
*/
const agent = new http.Agent({keepAlive: true, maxSockets: Infinity, maxFreeSockets: 1024});

/**
 Reads a text/event-stream body and hands each event's data to onData. The
 answer to a POST may be preceded by notifications or "priming" events with
 no data; those are skipped by the caller or here.
 */
class SseReader {
	#buffer = '';
	#data = [];
	#event = '';

	constructor(onData) {
		this.onData = onData;
	}

	push(text) {
		this.#buffer += text;
		let newline;
		while ((newline = this.#buffer.indexOf('\n')) !== -1) {
			let line = this.#buffer.slice(0, newline);
			this.#buffer = this.#buffer.slice(newline + 1);
			if (line.endsWith('\r')) {line = line.slice(0, -1);}
			this.#line(line);
		}
	}

	end() {
		if (this.#buffer) {this.#line(this.#buffer);}
		this.#buffer = '';
		this.#dispatch();
	}

	#line(line) {
		if (line === '') {
			this.#dispatch();
			return;
		}

		if (line.startsWith(':')) {return;}
		const colon = line.indexOf(':');
		const field = colon === -1 ? line : line.slice(0, colon);
		let value = colon === -1 ? '' : line.slice(colon + 1);
		if (value.startsWith(' ')) {value = value.slice(1);}
		if (field === 'data') {this.#data.push(value);} else if (field === 'event') {this.#event = value;}
	}

	#dispatch() {
		const data = this.#data.join('\n');
		if (data !== '' && (this.#event === '' || this.#event === 'message')) {this.onData(data);}
		this.#data = [];
		this.#event = '';
	}
}

/**
 One HTTP exchange with mcpd. For a JSON-RPC request it resolves as soon as
 the answer with `expectId` has arrived, whether as JSON or as an SSE event:
 that moment, not the end of the stream, is what a client waits for.
 @param root0
 @param root0.port
 @param root0.method
 @param root0.headers
 @param root0.body
 @param root0.expectId
 * @param root0.timeoutMs
 */
function exchange({port, method = 'POST', headers, body, expectId, timeoutMs}) {
	return new Promise((resolve, reject) => {
		const started = performance.now();
		let settled = false;
		let timer;
		const settle = (error, value) => {
			if (settled) {return;}
			settled = true;
			clearTimeout(timer);
			if (error) {reject(error);} else {resolve({...value, ms: performance.now() - started});}
		};

		const request = http.request({
			agent,
			host: '127.0.0.1',
			port,
			path: ENDPOINT,
			method,
			headers: body === undefined ? headers : {...headers, 'Content-Length': Buffer.byteLength(body)},
		});
		timer = setTimeout(() => {
			settle(new CallError('timeout', `${method} had no answer within ${timeoutMs} ms`));
			request.destroy();
		}, timeoutMs);
		request.on('error', error => {
			settle(new CallError(`net_${error.code ?? 'error'}`, error.message));
		});
		request.on('response', response => {
			const type = (response.headers['content-type'] ?? '').split(';', 1)[0].trim().toLowerCase();
			const base = {status: response.statusCode, headers: response.headers, type};
			response.setEncoding('utf8');
			response.on('error', error => {
				settle(new CallError(`net_${error.code ?? 'error'}`, error.message));
			});
			if (type === 'text/event-stream') {
				let seen = '';
				const reader = new SseReader(data => {
					seen ||= data;
					let message;
					try {
						message = JSON.parse(data);
					} catch {
						return;
					}

					if (expectId !== undefined && message?.id === expectId && message.method === undefined) {settle(undefined, {...base, message});}
				});
				response.on('data', chunk => {
					reader.push(chunk);
				});
				response.on('end', () => {
					reader.end();
					settle(undefined, {...base, text: seen});
				});
			} else {
				let text = '';
				response.on('data', chunk => {
					text += chunk;
				});
				response.on('end', () => {
					let message;
					if (type === 'application/json' && text !== '') {
						try {
							message = JSON.parse(text);
						} catch {}
					}

					settle(undefined, {...base, message, text});
				});
			}
		});
		request.end(body);
	});
}

/**
A unique message per call, padded to PAYLOAD_BYTES, so an answer routed to the wrong call shows.
@param client
@param id
*/
function messageFor(client, id) {
	const tag = `c${client}i${id}:`;
	return tag.length >= PAYLOAD_BYTES ? tag : tag + 'x'.repeat(PAYLOAD_BYTES - tag.length);
}

/**
Undefined when the answer is the echo of `text` for call `id`, else [type, detail].
@param answer
@param id
@param text
*/
function checkEcho(answer, id, text) {
	if (answer.status !== 200) {return [`http_${answer.status}`, answer.text || answer.type || '(empty body)'];}
	const {message} = answer;
	if (!message) {return ['no_answer', `no JSON-RPC answer with id ${id} (${answer.type || 'no content type'}): ${answer.text ?? ''}`];}
	if (message.error) {return ['rpc_error', JSON.stringify(message.error)];}
	const got = message.result?.content?.[0]?.text;
	return got === text ? undefined : ['wrong_text', `expected ${JSON.stringify(text.slice(0, 30))}…, got ${JSON.stringify(got)?.slice(0, 60)}`];
}

// ------------------------------------------------------------------ clients

const ACCEPT = 'application/json, text/event-stream';

function callBody(id, text, meta) {
	const params = {name: TOOL, arguments: {message: text}};
	if (meta) {params._meta = meta;}
	return JSON.stringify({
		jsonrpc: '2.0', id, method: 'tools/call', params,
	});
}

/**
 Legacy: initialize (its answer names the session), notifications/initialized,
 then calls on that session. A session that cannot open is counted and left out.
 @param port
 @param options
 @param failures
 */
async function openLegacy(port, options, failures) {
	const clients = [];
	await Promise.all(Array.from({length: options.sessions}, async (_, index) => {
		const user = `u${index}`;
		const headers = {Accept: ACCEPT, 'Content-Type': 'application/json', 'x-bench-user': user};
		const body = JSON.stringify({
			jsonrpc: '2.0',
			id: 0,
			method: 'initialize',
			params: {protocolVersion: LEGACY_VERSION, capabilities: {}, clientInfo: {name: 'bench', version: '1'}},
		});
		try {
			const answer = await exchange({
				port, headers, body, expectId: 0, timeoutMs: options.timeoutMs,
			});
			const session = answer.headers['mcp-session-id'];
			if (answer.status !== 200 || !answer.message?.result || !session) {
				failures.add(`initialize_http_${answer.status}`, answer.text || JSON.stringify(answer.message));
				return;
			}

			const sessionHeaders = {
				...headers,
				'Mcp-Session-Id': String(session),
				'MCP-Protocol-Version': answer.message.result.protocolVersion ?? LEGACY_VERSION,
			};
			const note = await exchange({
				port,
				headers: sessionHeaders,
				body: JSON.stringify({jsonrpc: '2.0', method: 'notifications/initialized'}),
				timeoutMs: options.timeoutMs,
			});
			if (note.status !== 202) {
				failures.add(`initialized_http_${note.status}`, note.text);
				return;
			}

			clients.push({
				index, nextId: 1, headers: sessionHeaders, body: (id, text) => callBody(id, text),
			});
		} catch (error) {
			failures.add(`initialize_${error.type ?? 'exception'}`, error.message);
		}
	}));
	return clients;
}

async function closeLegacy(port, clients, options, failures) {
	await Promise.all(clients.map(async client => {
		const {'Content-Type': _, ...headers} = client.headers;
		try {
			const answer = await exchange({
				port, method: 'DELETE', headers, timeoutMs: options.timeoutMs,
			});
			if (answer.status < 200 || answer.status >= 300) {failures.add(`delete_http_${answer.status}`, answer.text);}
		} catch (error) {
			failures.add(`delete_${error.type ?? 'exception'}`, error.message);
		}
	}));
}

const MODERN_META = {
	'io.modelcontextprotocol/protocolVersion': MODERN_VERSION,
	'io.modelcontextprotocol/clientInfo': {name: 'bench', version: '1'},
	'io.modelcontextprotocol/clientCapabilities': {},
};

/**
Modern: every request stands alone; the identity is the x-bench-user header alone.
@param options
@param userOf
*/
function modernClients(options, userOf) {
	return Array.from({length: options.sessions}, (_, index) => ({
		index,
		nextId: 1,
		headers: {
			Accept: ACCEPT,
			'Content-Type': 'application/json',
			'MCP-Protocol-Version': MODERN_VERSION,
			'Mcp-Method': 'tools/call',
			'Mcp-Name': TOOL,
			'x-bench-user': userOf(index),
		},
		body: (id, text) => callBody(id, text, MODERN_META),
	}));
}

/**
 `calls` calls per client, `inflight` at a time each. A phase that is plainly
 broken (at least 100 failures and more failures than answers) stops issuing
 calls, so a mcpd that refuses everything gives a quick report, not a long wait.
 @param port
 @param clients
 @param calls
 @param options
 */
async function runPhase(port, clients, calls, options) {
	const phase = {
		ok: 0, errors: new ErrorLog(), latencies: [], first: Infinity, last: 0, aborted: false,
	};
	await Promise.all(clients.map(client => {
		let issued = 0;
		const worker = async () => {
			while (issued < calls && !phase.aborted) {
				issued++;
				const id = client.nextId++;
				const text = messageFor(client.index, id);
				const started = performance.now();
				if (started < phase.first) {phase.first = started;}
				try {
					const answer = await exchange({
						port, headers: client.headers, body: client.body(id, text), expectId: id, timeoutMs: options.timeoutMs,
					});
					const problem = checkEcho(answer, id, text);
					if (problem) {
						phase.errors.add(...problem);
					} else {
						phase.ok++;
						phase.latencies.push(answer.ms);
					}
				} catch (error) {
					phase.errors.add(error.type ?? 'exception', error.message);
				}

				phase.last = Math.max(phase.last, performance.now());
				if (phase.errors.total >= 100 && phase.errors.total > phase.ok) {phase.aborted = true;}
			}
		};

		return Promise.all(Array.from({length: options.inflight}, worker));
	}));
	return phase;
}

// ------------------------------------------------------------------ variants

function variantsOf(options) {
	const variants = [{name: 'legacy B', era: 'legacy'}];
	if (options.legacyOnly) {return variants;}
	// Per-identity uses the legacy config: one child per identity is the default it expects.
	variants.push({name: 'modern per-identity', era: 'modern', userOf: index => `u${index}`});
	for (const n of options.children) {
		variants.push({
			name: `modern shared N=${n}`, era: 'modern', shared: true, modernChildren: n, userOf: () => 'shared',
		});
	}

	return variants;
}

async function runVariant(variant, rep, options) {
	const mcpd = await startMcpd(variant.modernChildren);
	const record = {
		variant: variant.name, era: variant.era, rep, modern_children: variant.modernChildren ?? null,
	};
	const failures = new ErrorLog();
	try {
		// Let mcpd's start-up settle before load, as the shared kit does.
		await sleep(300);
		const clients = variant.era === 'legacy'
			? await openLegacy(mcpd.port, options, failures)
			: modernClients(options, variant.userOf);
		record.clients = clients.length;
		if (clients.length > 0 && options.warmup > 0) {
			const warm = await runPhase(mcpd.port, clients, options.warmup, options);
			failures.merge(warm.errors);
			if (warm.ok === 0) {record.failed = `no call answered in the warm-up (${warm.errors.total} failed)`;}
		} else if (clients.length === 0) {
			record.failed = 'no session opened';
		}

		if (!record.failed) {
			const before = cpuOf(mcpd.pid);
			const machineBefore = machineBusyMs();
			const ownBefore = ownCpuMs();
			const phase = await runPhase(mcpd.port, clients, options.calls, options);
			const after = cpuOf(mcpd.pid);
			const machineAfter = machineBusyMs();
			const ownAfter = ownCpuMs();
			failures.merge(phase.errors);
			const seconds = (phase.last - phase.first) / 1000;
			const sorted = Float64Array.from(phase.latencies).sort();
			Object.assign(record, {
				ok: phase.ok,
				calls_per_s: seconds > 0 ? round(phase.ok / seconds) : 0,
				p50_ms: round(percentile(sorted, 0.5), 2),
				p90_ms: round(percentile(sorted, 0.9), 2),
				p99_ms: round(percentile(sorted, 0.99), 2),
				phase_ms: round(seconds * 1000),
				aborted: phase.aborted,
			});
			if (before && after && phase.ok > 0) {
				Object.assign(record, {
					mcpd_cpu_ms: round(after.mcpdMs - before.mcpdMs),
					tree_cpu_ms: round(after.treeMs - before.treeMs),
					mcpd_cpu_ms_per_1k: round(((after.mcpdMs - before.mcpdMs) / phase.ok) * 1000),
					tree_cpu_ms_per_1k: round(((after.treeMs - before.treeMs) / phase.ok) * 1000),
					children: after.children,
				});
				if (machineBefore !== undefined && machineAfter !== undefined) {
					// Whatever the machine did besides mcpd's tree and this script: other users skew the figures.
					const foreign = (machineAfter - machineBefore) - (after.treeMs - before.treeMs) - (ownAfter - ownBefore);
					record.foreign_cpu_ms = round(Math.max(0, foreign));
					record.foreign_share = round(Math.max(0, foreign) / (seconds * 1000 * cpus().length), 3);
				}
			}
		}

		if (variant.era === 'legacy') {await closeLegacy(mcpd.port, clients, options, failures);}
		if (!mcpd.alive()) {throw new StartError(`mcpd died during "${variant.name}" (${mcpd.exitText()}).\n${mcpd.output()}`);}
	} finally {
		const stopped = await mcpd.stop();
		record.stop = stopped.forced ? 'SIGKILL after SIGTERM timed out' : 'SIGTERM';
		record.leaked = stopped.leaked.length;
	}

	record.errors = failures.total;
	record.error_types = failures.byType;
	record.error_samples = failures.samples;
	return record;
}

// ------------------------------------------------------------------ report

function summarize(variants, records) {
	const legacy = median(records.filter(record => record.variant === 'legacy B').map(record => record.calls_per_s));
	return variants.map(variant => {
		const mine = records.filter(record => record.variant === variant.name);
		const completed = mine.filter(record => !record.failed);
		const cps = median(completed.map(record => record.calls_per_s));
		return {
			variant: variant.name,
			shared: Boolean(variant.shared),
			reps: mine.length,
			completed: completed.length,
			calls_per_s: cps,
			p50_ms: median(completed.map(record => record.p50_ms)),
			p99_ms: median(completed.map(record => record.p99_ms)),
			// Errors are summed, not a median: one failing repeat must show.
			errors: mine.reduce((sum, record) => sum + record.errors, 0),
			ratio: cps && legacy ? cps / legacy : undefined,
			mcpd_cpu_ms_per_1k: median(completed.map(record => record.mcpd_cpu_ms_per_1k)),
			tree_cpu_ms_per_1k: median(completed.map(record => record.tree_cpu_ms_per_1k)),
			children: median(completed.map(record => record.children)),
			leaked: mine.reduce((sum, record) => sum + (record.leaked ?? 0), 0),
		};
	});
}

function headline(summary) {
	// The goal is about shared children; the best N is what a deployment would pick.
	const shared = summary.filter(row => row.shared && row.ratio !== undefined);
	return shared.length === 0 ? undefined : shared.reduce((best, row) => (row.ratio > best.ratio ? row : best));
}

function table(summary, records, options) {
	const fmt = (value, digits = 1) => {
		if (value === undefined || value === null) {return '–';}
		return Math.abs(value) >= 100 ? Math.round(value).toLocaleString('en-US') : String(round(value, digits));
	};

	const header = ['variant', 'calls/s', 'p50 ms', 'p99 ms', 'errors', 'vs legacy B', 'mcpd CPU ms/1k', 'tree CPU ms/1k', 'children'];
	const rows = summary.map(row => [
		row.variant,
		row.reps === 0 ? 'not run' : (row.completed === 0 ? 'failed' : fmt(row.calls_per_s)),
		fmt(row.p50_ms, 2),
		fmt(row.p99_ms, 2),
		String(row.errors),
		row.ratio === undefined ? '–' : `${round(row.ratio, 2).toFixed(2)}×`,
		fmt(row.mcpd_cpu_ms_per_1k),
		fmt(row.tree_cpu_ms_per_1k),
		fmt(row.children, 0),
	]);
	const widths = header.map((cell, column) => Math.max(cell.length, ...rows.map(row => row[column].length)));
	const line = cells => cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]) : cell.padStart(widths[column]))).join('  ');
	const out = [
		`${options.sessions} clients × ${options.inflight} in flight, ${options.calls} timed calls each after ${options.warmup} warm-up, ${PAYLOAD_BYTES} B echo; medians of ${options.reps} run(s); errors summed over runs`,
		line(header),
		...rows.map(row => line(row)),
	];

	const notRun = summary.filter(row => row.reps === 0).map(row => row.variant);
	if (notRun.length > 0) {out.push('', `not run (see the message below): ${notRun.join(', ')}`);}
	for (const row of summary.filter(row => row.errors > 0 || row.completed < row.reps)) {
		const mine = records.filter(record => record.variant === row.variant);
		const types = {};
		for (const record of mine) {
			for (const [type, count] of Object.entries(record.error_types)) {types[type] = (types[type] ?? 0) + count;}
		}

		out.push('', `${row.variant}: ${Object.entries(types).map(([type, count]) => `${type} ×${count}`).join(', ') || 'no errors'}`);
		const failed = mine.find(record => record.failed);
		if (failed) {out.push(`  ${failed.failed}`);}
		for (const sample of mine.find(record => record.error_samples.length > 0)?.error_samples ?? []) {out.push(`  e.g. ${sample}`);}
	}

	const disturbed = records.filter(record => record.foreign_share > FOREIGN_LIMIT);
	if (disturbed.length > 0) {
		const which = disturbed.map(record => `${record.variant} rep ${record.rep} (${Math.round(record.foreign_share * 100)} %)`).join(', ');
		out.push('', `warning: other programs used over ${FOREIGN_LIMIT * 100} % of the machine during ${which}; those figures are low`);
	}

	const leaked = summary.reduce((sum, row) => sum + row.leaked, 0);
	if (leaked > 0) {out.push('', `warning: ${leaked} process(es) of mcpd's tree outlived it and were killed`);}
	return out.join('\n');
}

function goalLine(summary, options) {
	if (options.legacyOnly) {return 'modern/legacy B ratio: – (goal ≥ 0.8): modern variants skipped (--legacy-only)';}
	const best = headline(summary);
	if (!best) {return `modern/legacy B ratio: – (goal ≥ ${GOAL}): no shared-children variant completed`;}
	const verdict = best.ratio >= GOAL ? 'met' : 'NOT met';
	return `modern/legacy B ratio: ${best.ratio.toFixed(2)} (goal ≥ ${GOAL}) — ${verdict}, best shared variant: ${best.variant.replace('modern shared N=', 'modern_children = ')}`;
}

// ------------------------------------------------------------------ main

async function main() {
	const options = parseOptions(process.argv.slice(2));
	if (!existsSync(path.join(root, 'dist/cli.js'))) {
		progress('dist/ is missing: npm run build');
		execFileSync('npm', ['run', 'build'], {cwd: root, stdio: ['ignore', 'inherit', 'inherit']});
	}

	const variants = variantsOf(options);
	const records = [];
	const started = new Date();
	let fatal;
	try {
		for (let rep = 1; rep <= options.reps; rep++) {
			for (const variant of variants) {
				const record = await runVariant(variant, rep, options);
				records.push(record);
				progress(`rep ${rep}/${options.reps} ${variant.name}: ${record.failed ? `failed: ${record.failed}` : `${record.calls_per_s} calls/s, p50 ${record.p50_ms} ms, p99 ${record.p99_ms} ms`}, ${record.errors} error(s)${record.children === undefined ? '' : `, ${record.children} children`}${record.foreign_share === undefined ? '' : `, other programs ${Math.round(record.foreign_share * 100)} % of the machine`}`);
			}
		}
	} catch (error) {
		if (!(error instanceof StartError)) {throw error;}
		fatal = error;
	}

	const summary = summarize(variants, records);
	const best = headline(summary);
	if (options.json) {
		process.stdout.write(JSON.stringify({
			bench: 'modern',
			started: started.toISOString(),
			node: process.version,
			cores: cpus().length,
			options,
			records,
			summary,
			ratio: best?.ratio ?? null,
			ratio_variant: best?.variant ?? null,
			goal: GOAL,
			fatal: fatal?.message ?? null,
		}) + '\n');
	} else if (records.length > 0) {
		process.stdout.write(`${table(summary, records, options)}\n\n${goalLine(summary, options)}\n`);
	}

	if (fatal) {
		process.stderr.write(`\nbench:modern: ${fatal.message}\n`);
		process.exitCode = 1;
	} else if (records.some(record => record.errors > 0 || record.failed || record.leaked > 0)) {
		process.exitCode = 1;
	}
}

// Stop the mcpd under test whatever ends this script, so no server is left behind.
for (const signal of ['SIGINT', 'SIGTERM']) {
	process.once(signal, () => {
		progress(`${signal}: stopping mcpd`);
		const stopping = current?.stop() ?? Promise.resolve();
		void stopping.finally(() => {
			process.exit(signal === 'SIGINT' ? 130 : 143);
		});
	});
}

try {
	await main();
} catch (error) {
	if (error instanceof UsageError) {
		process.stderr.write(`bench:modern: ${error.message}\n\n${HELP}`);
		process.exitCode = 2;
	} else {
		process.stderr.write(`bench:modern: ${error.stack ?? error}\n`);
		process.exitCode = 1;
		await current?.stop();
	}
} finally {
	agent.destroy();
}
