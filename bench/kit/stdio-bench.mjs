#!/usr/bin/env node
// The physical floor for an MCP proxy: talks to a stdio MCP server directly,
// no HTTP. Same workload and report as mcp-http-bench.mjs.
//
//   node stdio-bench.mjs [options] -- COMMAND [ARGS...]
//
// A "session" here is one spawned server process: initialize (latency counted
// from spawn, so it includes process start), notifications/initialized, then N
// tools/call echo; at the end stdin is closed and the process is waited for.

import {spawn} from 'node:child_process';
import {readFileSync} from 'node:fs';
import {parseArgs} from 'node:util';
import {performance} from 'node:perf_hooks';
import {
	summarize, makeMessage, bump, ErrorLog, checkEchoResponse, printReport,
	runPool, sleep, WORKLOAD_OPTIONS, workloadOf, reportedConfig, LineBuffer,
} from './bench-lib.mjs';

const HELP = `usage: stdio-bench.mjs [options] -- COMMAND [ARGS...]

	--sessions S              server processes, run concurrently (default 1)
	--requests N              tools/call requests per session (default 100)
	--concurrency C           requests in flight per session (default 1)
	--payload BYTES           size of the echo message in bytes (default 100)
	--json                    print one JSON object instead of the text report
	--warmup W                calls per session excluded from latency stats (default 50)
	--session-parallelism P   sessions started/run at once (default S; 1 = one after another)
	--protocol-version V      protocolVersion to ask for in initialize (default 2025-11-25)
	--tool NAME               tool to call (default echo)
	--expect-prefix STR       expected text = STR + message (server-everything's echo: "Echo: ")
	--timeout-ms MS           per-request timeout; a timed-out call counts as an error (default 30000)
	--hold-ms MS              after all calls, keep the processes MS ms before closing them;
														prints "HOLD sessions=K" to stderr when the hold begins
	--stderr MODE             child stderr: inherit | ignore (default inherit)
	--label TEXT              free text copied into the report
`;

function parseCli() {
	const {values, positionals} = parseArgs({
		options: {...WORKLOAD_OPTIONS, stderr: {type: 'string'}},
		allowPositionals: true,
		strict: true,
	});
	if (values.help) {
		process.stdout.write(HELP);
		process.exit(0);
	}

	if (positionals.length === 0) {throw new Error('missing server command after --');}
	const stderrMode = values.stderr || 'inherit';
	if (stderrMode !== 'inherit' && stderrMode !== 'ignore') {throw new Error('--stderr must be inherit or ignore');}
	return {
		command: positionals[0], args: positionals.slice(1), ...workloadOf(values), stderr: stderrMode,
	};
}

/**
Utime+stime (ms) of a live process and its reaped children, from /proc; null if unavailable.
@param pid
*/
function procCpuMs(pid) {
	try {
		const line = readFileSync(`/proc/${pid}/stat`, 'utf8');
		const f = line.slice(line.lastIndexOf(')') + 2).split(' ');
		const ticks = Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]);
		return (ticks * 1000) / CLK_TCK;
	} catch {
		return null;
	}
}

const CLK_TCK = 100; // USER_HZ on Linux/x86 and arm64

class RpcError extends Error {
	constructor(type, detail) {
		super(detail);
		this.type = type;
	}
}

/**
One spawned server with newline-delimited JSON-RPC framing and id matching.
*/
class StdioPeer {
	constructor(cfg, stats) {
		this.cfg = cfg;
		this.stats = stats;
		this.pending = new Map(); // Id -> { resolve, reject, timer, t0 }
		this.lines = new LineBuffer(line => {
			const text = line.trim();
			if (text) {this.onLine(text);}
		});
		this.exited = null;
		this.t0 = performance.now();
		this.child = spawn(cfg.command, cfg.args, {stdio: ['pipe', 'pipe', cfg.stderr]});
		this.exitPromise = new Promise(resolve => {
			this.child.on('exit', (code, signal) => {
				this.exited = {code, signal};
				for (const [, p] of this.pending) {
					clearTimeout(p.timer);
					p.reject(new RpcError('child_exit', `server exited (code=${code}, signal=${signal})`));
				}

				this.pending.clear();
				resolve(this.exited);
			});
		});
		this.child.on('error', err => {
			for (const [, p] of this.pending) {
				clearTimeout(p.timer);
				p.reject(new RpcError('spawn_error', err.message));
			}

			this.pending.clear();
		});
		this.child.stdin.on('error', () => {}); // EPIPE surfaces through 'exit'
		this.child.stdout.on('data', chunk => this.onData(chunk));
	}

	onData(chunk) {
		this.lines.push(chunk);
	}

	onLine(line) {
		let msg;
		try {
			msg = JSON.parse(line);
		} catch {
			this.stats.unparsable++;
			return;
		}

		for (const m of Array.isArray(msg) ? msg : [msg]) {
			if (m && m.method !== undefined) {
				if (m.id === undefined) {this.stats.serverNotifications++;} else {this.stats.serverRequests++;}

				continue;
			}

			const p = m ? this.pending.get(m.id) : undefined;
			if (!p) {
				this.stats.strayResponses++;
				continue;
			}

			this.pending.delete(m.id);
			clearTimeout(p.timer);
			p.resolve({msg: m, ms: performance.now() - p.t0});
		}
	}

	/**
	Sends a request; resolves { msg, ms } with ms measured from `t0` (default: now).
	@param id
	@param method
	@param params
	@param t0
	*/
	request(id, method, params, t0) {
		return new Promise((resolve, reject) => {
			if (this.exited) {
				reject(new RpcError('child_exit', 'server already exited'));
				return;
			}

			const timer = setTimeout(() => {
				this.pending.delete(id);
				reject(new RpcError('timeout', `${method} no answer within ${this.cfg.timeoutMs} ms`));
			}, this.cfg.timeoutMs);
			this.pending.set(id, {
				resolve, reject, timer, t0: t0 ?? performance.now(),
			});
			this.child.stdin.write(JSON.stringify({
				jsonrpc: '2.0', id, method, params,
			}) + '\n');
		});
	}

	notify(method, params) {
		this.child.stdin.write(JSON.stringify({jsonrpc: '2.0', method, params}) + '\n');
	}

	async close() {
		this.child.stdin.end();
		const timer = setTimeout(() => {
			if (!this.exited) {this.child.kill('SIGTERM');}
		}, 5000);
		const r = await this.exitPromise;
		clearTimeout(timer);
		return r;
	}
}

async function main() {
	let cfg;
	try {
		cfg = parseCli();
	} catch (error) {
		process.stderr.write(`stdio-bench: ${error.message}\n\n${HELP}`);
		process.exit(2);
	}

	const stats = {
		negotiatedVersions: {},
		exitStatus: {},
		serverNotifications: 0,
		serverRequests: 0,
		strayResponses: 0,
		unparsable: 0,
	};
	const initLat = [];
	const callLat = [];
	const callErrors = new ErrorLog();
	const sessionErrors = new ErrorLog();
	let sent = 0;
	let ok = 0;
	let measuredOk = 0;
	let excluded = 0;
	let firstCallStart = null;
	let firstMeasuredStart = null;
	let lastCallEnd = 0;

	const tWall0 = performance.now();
	const cpu0 = process.cpuUsage();
	const sessions = [];
	const runCalls = async sess => {
		const {idx, peer} = sess;
		let nextIdx = 0;
		const worker = async () => {
			while (nextIdx < cfg.requests) {
				const i = nextIdx++;
				const id = i + 1;
				const message = makeMessage(idx, i, cfg.payload);
				const tStart = performance.now();
				if (firstCallStart === null || tStart < firstCallStart) {firstCallStart = tStart;}
				if (i === cfg.warmup && (firstMeasuredStart === null || tStart < firstMeasuredStart)) {firstMeasuredStart = tStart;}
				sent++;
				try {
					const r = await peer.request(id, 'tools/call', {name: cfg.tool, arguments: {message}});
					const tEnd = performance.now();
					if (tEnd > lastCallEnd) {lastCallEnd = tEnd;}
					const bad = checkEchoResponse(r.msg, id, cfg.expectPrefix + message);
					if (bad) {
						callErrors.add(bad[0], bad[1]);
						continue;
					}

					ok++;
					if (i >= cfg.warmup) {
						callLat.push(r.ms);
						measuredOk++;
					} else {
						excluded++;
					}
				} catch (error) {
					const tEnd = performance.now();
					if (tEnd > lastCallEnd) {lastCallEnd = tEnd;}
					callErrors.add(error.type || 'exception', error.message);
				}
			}
		};

		const workers = [];
		for (let w = 0; w < Math.min(cfg.concurrency, Math.max(cfg.requests, 1)); w++) {workers.push(worker());}
		await Promise.all(workers);
	};

	// When every session runs at once, all are initialized first and the calls
	// start together (a barrier), so the call phase is not diluted by start-up.
	const barrier = cfg.sessionParallelism >= cfg.sessions;
	await runPool(cfg.sessions, cfg.sessionParallelism, async idx => {
		const peer = new StdioPeer(cfg, stats);
		const sess = {idx, peer, ok: false};
		sessions.push(sess);
		try {
			const r = await peer.request(0, 'initialize', {
				protocolVersion: cfg.protocolVersion,
				capabilities: {},
				clientInfo: {name: 'stdio-bench', version: '1.0.0'},
			}, peer.t0);
			if (r.msg.error) {throw new RpcError('init_rpc_error', JSON.stringify(r.msg.error));}
			bump(stats.negotiatedVersions, (r.msg.result?.protocolVersion) || '?');
			initLat.push(r.ms);
			peer.notify('notifications/initialized');
			sess.ok = true;
		} catch (error) {
			sessionErrors.add(error.type || 'exception', error.message);
			return;
		}

		if (!barrier) {await runCalls(sess);}
	});
	if (barrier) {await Promise.all(sessions.filter(s => s.ok).map(s => runCalls(s)));}

	if (cfg.holdMs > 0) {
		process.stderr.write(`HOLD sessions=${sessions.filter(s => s.ok).length}\n`);
		await sleep(cfg.holdMs);
	}

	// CPU the server processes used (Linux /proc; null elsewhere), read before they exit.
	let serverCpuMs = 0;
	for (const s of sessions) {
		const t = procCpuMs(s.peer.child.pid);
		if (t === null) {
			serverCpuMs = null;
			break;
		}

		serverCpuMs += t;
	}

	await Promise.all(sessions.map(async s => {
		const r = await s.peer.close();
		bump(stats.exitStatus, r.signal ? `signal_${r.signal}` : `code_${r.code}`);
	}));
	const wallMs = performance.now() - tWall0;

	const cpu1 = process.cpuUsage(cpu0);
	const clientCpuMs = (cpu1.user + cpu1.system) / 1000;
	const callPhaseMs = firstCallStart === null ? 0 : lastCallEnd - firstCallStart;
	const steadyMs = firstMeasuredStart === null ? 0 : lastCallEnd - firstMeasuredStart;
	const round1 = x => Math.round(x * 10) / 10;
	const report = {
		tool: 'stdio-bench',
		label: cfg.label,
		target: `stdio: ${[cfg.command, ...cfg.args].join(' ')}`,
		config: reportedConfig(cfg),
		sessions: {ok: sessions.filter(s => s.ok).length, failed: sessionErrors.total},
		init: summarize(initLat),
		calls: {
			sent, ok, errors: callErrors.total, measured: measuredOk, excludedWarmup: excluded,
		},
		callLatency: summarize(callLat),
		throughput: {
			callsPerSec: callPhaseMs > 0 ? round1((ok / callPhaseMs) * 1000) : 0,
			callPhaseMs: round1(callPhaseMs),
			steadyCallsPerSec: steadyMs > 0 ? round1((measuredOk / steadyMs) * 1000) : 0,
		},
		wallMs: round1(wallMs),
		clientCpuMs: round1(clientCpuMs),
		serverCpuMs: serverCpuMs === null ? null : round1(serverCpuMs),
		errors: {
			total: callErrors.total + sessionErrors.total,
			byType: {...sessionErrors.byType, ...callErrors.byType},
			samples: [...sessionErrors.samples, ...callErrors.samples],
		},
		protocol: stats,
	};
	if (cfg.json) {process.stdout.write(JSON.stringify(report) + '\n');} else {process.stdout.write(printReport(report) + '\n');}

	process.exitCode = report.errors.total > 0 ? 1 : 0;
}

try {
	await main();
} catch (error) {
	process.stderr.write(`stdio-bench: ${error.stack || error}\n`);
	process.exit(2);
}
