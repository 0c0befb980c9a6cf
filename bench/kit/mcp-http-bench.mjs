#!/usr/bin/env node
// Streamable-HTTP load client for MCP servers and proxies (Node built-ins only).
//
// Per session: POST initialize, read Mcp-Session-Id, POST notifications/initialized
// (expects 202), then N tools/call of the echo tool with unique ids and a unique
// message per call, each response checked for its id and echoed text; finally
// DELETE the session. Responses may be application/json or text/event-stream.
//
// Run with --help for options.

import http from 'node:http';
import https from 'node:https';
import {parseArgs} from 'node:util';
import {performance} from 'node:perf_hooks';
import {Http1Pool, HttpError} from './http1.mjs';
import {
	summarize, makeMessage, bump, ErrorLog, checkEchoResponse, printReport,
	runPool, intOpt, sleep, WORKLOAD_OPTIONS, workloadOf, reportedConfig, LineBuffer,
} from './bench-lib.mjs';

const HELP = `usage: mcp-http-bench.mjs --url URL [options]

	--url URL                 Streamable HTTP endpoint (e.g. http://127.0.0.1:8000/mcp)
	--sessions S              concurrent sessions (default 1)
	--requests N              tools/call requests per session (default 100)
	--concurrency C           requests in flight per session (default 1)
	--payload BYTES           size of the echo message in bytes (default 100)
	--headers JSON            extra headers for every request, e.g. '{"Authorization":"Bearer x"}'
	--json                    print one JSON object instead of the text report
	--warmup W                calls per session excluded from latency stats (default 50)
	--session-parallelism P   sessions started/run at once (default S; 1 = one after another)
	--session-gap-ms MS       pause before each session after the first (default 0): with
	                          --session-parallelism 1, sessions that arrive one by one
	--protocol-version V      protocolVersion to ask for in initialize (default 2025-11-25)
	--tool NAME               tool to call (default echo)
	--expect-prefix STR       expected text = STR + message (server-everything's echo: "Echo: ")
	--timeout-ms MS           per-request timeout; a timed-out call counts as an error (default 30000)
	--hold-ms MS              after all calls, keep sessions open MS ms before DELETE; prints
														"HOLD sessions=K" to stderr when the hold begins (for RSS sampling)
	--label TEXT              free text copied into the report
	--client lean|node        the HTTP client: lean (./http1.mjs, default: ~30 µs of CPU a
	                          call) or node (node:http's agent, ~100 µs); https: always node
`;

function parseCli() {
	const {values} = parseArgs({
		options: {
			...WORKLOAD_OPTIONS, url: {type: 'string'}, headers: {type: 'string'}, 'session-gap-ms': {type: 'string'}, client: {type: 'string'},
		},
		strict: true,
	});
	if (values.help) {
		process.stdout.write(HELP);
		process.exit(0);
	}

	if (!values.url) {throw new Error('--url is required');}
	const cfg = {
		url: new URL(values.url),
		...workloadOf(values),
		sessionGapMs: intOpt(values, 'session-gap-ms', 0, 0),
		client: values.client ?? 'lean',
		extraHeaders: {},
	};
	if (values.headers) {
		const h = JSON.parse(values.headers);
		if (h === null || typeof h !== 'object' || Array.isArray(h)) {throw new Error('--headers must be a JSON object');}
		for (const [k, v] of Object.entries(h)) {cfg.extraHeaders[k] = String(v);}
	}

	if (cfg.url.protocol !== 'http:' && cfg.url.protocol !== 'https:') {throw new Error('--url must be http: or https:');}
	if (cfg.client !== 'lean' && cfg.client !== 'node') {throw new Error('--client must be lean or node');}
	return cfg;
}

// ---------------------------------------------------------------- SSE parsing

/**
 Incremental text/event-stream parser over raw bytes; calls onData(dataString)
 for each dispatched 'message' event. Lines end in LF or CRLF (a lone CR as a
 line end is not supported). A long line is joined once, not rescanned.
 */
class SseParser {
	constructor(onData) {
		this.onData = onData;
		this.lines = new LineBuffer(line => this.line(line.endsWith('\r') ? line.slice(0, -1) : line));
		this.data = [];
		this.event = '';
		this.events = 0;
		this.emptyEvents = 0;
	}

	push(chunk) {
		this.lines.push(chunk);
	}

	line(line) {
		if (line === '') {
			this.dispatch();
			return;
		}

		if (line[0] === ':') {return;} // Comment / keep-alive
		const c = line.indexOf(':');
		const field = c === -1 ? line : line.slice(0, c);
		let value = c === -1 ? '' : line.slice(c + 1);
		if (value[0] === ' ') {value = value.slice(1);}
		if (field === 'data') {this.data.push(value);} else if (field === 'event') {this.event = value;}
		// Id: and retry: are not needed here
	}

	dispatch() {
		// An event with empty data carries no JSON-RPC message: the MCP SDK server
		// sends such "priming" events (an event id only) for resumability. They are
		// counted (protocol.sseEmptyEvents) and skipped.
		const data = this.data.join('\n');
		if (this.data.length > 0 && data === '') {this.emptyEvents++;}
		if (data !== '' && (this.event === '' || this.event === 'message')) {
			this.events++;
			this.onData(data);
		}

		this.data = [];
		this.event = '';
	}

	end() {
		this.lines.flush();
		this.dispatch();
	}
}

// ---------------------------------------------------------------- HTTP

/**
 The request senders: the lean client of ./http1.mjs (the default), or
 node:http's keep-alive agent (--client node, and always for https:). Both
 call head(status, headers), data(chunk)..., then end() or error(HttpError),
 and return a function that abandons the request.
 @param cfg
 */
function leanTransport(cfg) {
	const pool = new Http1Pool(cfg.url);
	const path = cfg.url.pathname + cfg.url.search;
	return {
		send: (method, headers, body, handlers) => pool.request({
			method, path, headers, body,
		}, handlers),
		destroy: () => pool.destroy(),
	};
}

function nodeTransport(cfg, sockets) {
	const lib = cfg.url.protocol === 'https:' ? https : http;
	const agent = new lib.Agent({keepAlive: true, maxSockets: Infinity, maxFreeSockets: sockets});
	const send = (method, headers, body, handlers) => {
		const req = lib.request({
			agent,
			protocol: cfg.url.protocol,
			hostname: cfg.url.hostname,
			port: cfg.url.port,
			path: cfg.url.pathname + cfg.url.search,
			method,
			headers: body ? {...headers, 'Content-Length': body.length} : headers,
		});
		const failed = error => handlers.error(new HttpError(`net_${error.code || 'error'}`, error.message));
		req.on('error', failed);
		req.on('response', res => {
			res.on('error', failed);
			handlers.head(res.statusCode, res.headers);
			res.on('data', chunk => handlers.data(chunk));
			res.on('end', () => handlers.end());
		});
		req.end(body);
		return () => req.destroy();
	};

	return {send, destroy: () => agent.destroy()};
}

/**
 Sends one HTTP request. For a JSON-RPC request (expectId !== undefined) the
 promise resolves as soon as the response with that id has arrived (the SSE
 stream may still be draining); otherwise when the HTTP response has ended.
 Resolves { status, headers, contentType, msg, ms, bodyText }.
 @param ctx
 @param method
 @param headers
 @param bodyBuf
 @param expectId
 */
function httpCall(ctx, method, headers, bodyBuf, expectId) {
	return new Promise((resolve, reject) => {
		const {cfg, transport, stats} = ctx;
		const t0 = performance.now();
		let settled = false;
		let timer;
		const settle = (fn, v) => {
			if (settled) {return;}
			settled = true;
			clearTimeout(timer);
			fn(v);
		};

		let base;
		let onData;
		let onEnd;
		const abandon = transport.send(method, headers, bodyBuf ?? undefined, {
			head(status, responseHeaders) {
				const ct = (responseHeaders['content-type'] || '').split(';', 1)[0].trim().toLowerCase();
				base = {status, headers: responseHeaders, contentType: ct};
				[onData, onEnd] = ct === 'text/event-stream' ? sseBody(ctx, base, expectId, settle, resolve, t0) : plainBody(base, expectId, settle, resolve, t0, stats);
			},
			data: chunk => onData(chunk),
			end: () => onEnd(),
			error: error => settle(reject, error),
		});
		timer = setTimeout(() => {
			settle(reject, new HttpError('timeout', `${method} no answer within ${cfg.timeoutMs} ms`));
			abandon();
		}, cfg.timeoutMs);
	});
}

/**
 An SSE answer: resolves at the event that carries the awaited id.
 @param ctx
 @param base
 @param expectId
 @param settle
 @param resolve
 @param t0
 */
function sseBody(ctx, base, expectId, settle, resolve, t0) {
	const {stats} = ctx;
	bump(stats.contentTypes, 'text/event-stream');
	let found;
	const parser = new SseParser(data => {
		let msg;
		try {
			msg = JSON.parse(data);
		} catch {
			stats.unparsable++;
			return;
		}

		const list = Array.isArray(msg) ? msg : [msg];
		for (const m of list) {
			if (expectId !== undefined && found === undefined && m && m.id === expectId && m.method === undefined) {
				found = m;
				settle(resolve, {...base, msg: m, ms: performance.now() - t0});
			} else if (m && m.method !== undefined) {
				if (m.id === undefined) {stats.serverNotifications++;} else {stats.serverRequests++;}
			} else {
				stats.strayResponses++;
			}
		}
	});
	return [
		chunk => parser.push(chunk),
		() => {
			parser.end();
			if (parser.emptyEvents > 0) {stats.sseEmptyEvents += parser.emptyEvents;}
			settle(resolve, {...base, msg: found, ms: performance.now() - t0});
		},
	];
}

/**
 Any other answer: the whole body, parsed when it is JSON.
 @param base
 @param expectId
 @param settle
 @param resolve
 @param t0
 @param stats
 */
function plainBody(base, expectId, settle, resolve, t0, stats) {
	if (base.contentType) {bump(stats.contentTypes, base.contentType);}
	const chunks = [];
	return [
		chunk => chunks.push(chunk),
		() => {
			const ms = performance.now() - t0;
			const text = chunks.length === 1 ? chunks[0].toString('utf8') : Buffer.concat(chunks).toString('utf8');
			let msg;
			if (base.contentType === 'application/json' && text.length > 0) {
				try {
					const parsed = JSON.parse(text);
					msg = Array.isArray(parsed) ? parsed.find(m => m && m.id === expectId) : parsed;
				} catch {
					stats.unparsable++;
				}
			}

			settle(resolve, {
				...base, msg, ms, bodyText: text.slice(0, 300),
			});
		},
	];
}

// ---------------------------------------------------------------- sessions

function baseHeaders(cfg, sess) {
	const h = {
		...cfg.extraHeaders,
		Accept: 'application/json, text/event-stream',
	};
	if (sess.sid) {h['Mcp-Session-Id'] = sess.sid;}
	if (sess.protocolVersion) {h['MCP-Protocol-Version'] = sess.protocolVersion;}
	return h;
}

async function initSession(ctx, sess) {
	const {cfg, stats} = ctx;
	const body = Buffer.from(JSON.stringify({
		jsonrpc: '2.0',
		id: 0,
		method: 'initialize',
		params: {
			protocolVersion: cfg.protocolVersion,
			capabilities: {},
			clientInfo: {name: 'mcp-http-bench', version: '1.0.0'},
		},
	}));
	const r = await httpCall(ctx, 'POST', {...baseHeaders(cfg, sess), 'Content-Type': 'application/json'}, body, 0);
	if (r.status !== 200) {throw new HttpError(`init_http_${r.status}`, r.bodyText || '');}
	if (!r.msg) {throw new HttpError('init_no_response', 'no JSON-RPC response to initialize');}
	if (r.msg.error) {throw new HttpError('init_rpc_error', JSON.stringify(r.msg.error));}
	const sid = r.headers['mcp-session-id'];
	if (sid) {sess.sid = String(sid);} else {stats.sessionIdMissing++;}

	sess.protocolVersion = (r.msg.result?.protocolVersion) || cfg.protocolVersion;
	bump(stats.negotiatedVersions, sess.protocolVersion);
	ctx.initLat.push(r.ms);

	const note = Buffer.from(JSON.stringify({jsonrpc: '2.0', method: 'notifications/initialized'}));
	const n = await httpCall(ctx, 'POST', {...baseHeaders(cfg, sess), 'Content-Type': 'application/json'}, note, undefined);
	bump(stats.initializedStatus, n.status);
	if (n.status !== 202) {
		ctx.protocolErrors.add(`initialized_status_${n.status}`, n.bodyText || n.contentType);
	}
}

async function runCalls(ctx, sess) {
	const {cfg} = ctx;
	let nextIdx = 0;
	const prefix = cfg.expectPrefix;
	const worker = async () => {
		while (nextIdx < cfg.requests) {
			const i = nextIdx++;
			const id = i + 1; // Unique within the session; initialize used 0
			const message = makeMessage(sess.idx, i, cfg.payload);
			const body = Buffer.from(JSON.stringify({
				jsonrpc: '2.0',
				id,
				method: 'tools/call',
				params: {name: cfg.tool, arguments: {message}},
			}));
			const tStart = performance.now();
			if (ctx.firstCallStart === null || tStart < ctx.firstCallStart) {ctx.firstCallStart = tStart;}
			if (i === cfg.warmup && (ctx.firstMeasuredStart === null || tStart < ctx.firstMeasuredStart)) {
				ctx.firstMeasuredStart = tStart;
			}

			ctx.sent++;
			try {
				const r = await httpCall(ctx, 'POST', {...baseHeaders(cfg, sess), 'Content-Type': 'application/json'}, body, id);
				const tEnd = performance.now();
				if (tEnd > ctx.lastCallEnd) {ctx.lastCallEnd = tEnd;}
				if (r.status !== 200) {
					ctx.callErrors.add(`http_${r.status}`, r.bodyText || '');
					continue;
				}

				const bad = checkEchoResponse(r.msg, id, prefix + message);
				if (bad) {
					ctx.callErrors.add(bad[0], bad[1]);
					continue;
				}

				ctx.ok++;
				if (i >= cfg.warmup) {
					ctx.callLat.push(r.ms);
					ctx.measuredOk++;
				} else {
					ctx.excluded++;
				}
			} catch (error) {
				const tEnd = performance.now();
				if (tEnd > ctx.lastCallEnd) {ctx.lastCallEnd = tEnd;}
				ctx.callErrors.add(error.type || 'exception', error.message);
			}
		}
	};

	const workers = [];
	for (let w = 0; w < Math.min(cfg.concurrency, Math.max(cfg.requests, 1)); w++) {workers.push(worker());}
	await Promise.all(workers);
}

async function deleteSession(ctx, sess) {
	const {cfg, stats} = ctx;
	if (!sess.sid) {return;}
	try {
		const r = await httpCall(ctx, 'DELETE', baseHeaders(cfg, sess), null, undefined);
		bump(stats.deleteStatus, r.status);
		ctx.deleteLat.push(r.ms);
		if (r.status < 200 || r.status >= 300) {ctx.protocolErrors.add(`delete_status_${r.status}`, r.bodyText || '');}
	} catch (error) {
		bump(stats.deleteStatus, error.type || 'exception');
		ctx.protocolErrors.add(`delete_${error.type || 'exception'}`, error.message);
	}
}

// ---------------------------------------------------------------- main

async function main() {
	let cfg;
	try {
		cfg = parseCli();
	} catch (error) {
		process.stderr.write(`mcp-http-bench: ${error.message}\n\n${HELP}`);
		process.exit(2);
	}

	const sockets = Math.max(256, cfg.sessions * cfg.concurrency + cfg.sessions);
	const transport = cfg.client === 'node' || cfg.url.protocol === 'https:' ? nodeTransport(cfg, sockets) : leanTransport(cfg);
	const ctx = {
		cfg,
		transport,
		stats: {
			contentTypes: {},
			initializedStatus: {},
			deleteStatus: {},
			negotiatedVersions: {},
			sessionIdMissing: 0,
			sseEmptyEvents: 0,
			serverNotifications: 0,
			serverRequests: 0,
			strayResponses: 0,
			unparsable: 0,
		},
		initLat: [],
		callLat: [],
		deleteLat: [],
		callErrors: new ErrorLog(),
		sessionErrors: new ErrorLog(),
		protocolErrors: new ErrorLog(),
		sent: 0,
		ok: 0,
		measuredOk: 0,
		excluded: 0,
		firstCallStart: null,
		firstMeasuredStart: null,
		lastCallEnd: 0,
	};

	const tWall0 = performance.now();
	const cpu0 = process.cpuUsage();
	const sessions = [];
	// When every session runs at once, all are initialized first and the calls
	// start together (a barrier), so the call phase is not diluted by start-up.
	const barrier = cfg.sessionParallelism >= cfg.sessions;
	await runPool(cfg.sessions, cfg.sessionParallelism, async idx => {
		const sess = {
			idx, sid: null, protocolVersion: null, ok: false,
		};
		sessions.push(sess);
		if (idx > 0 && cfg.sessionGapMs > 0) {await sleep(cfg.sessionGapMs);}
		try {
			await initSession(ctx, sess);
			sess.ok = true;
		} catch (error) {
			ctx.sessionErrors.add(error.type || 'exception', error.message);
			return;
		}

		if (!barrier) {await runCalls(ctx, sess);}
	});
	if (barrier) {await Promise.all(sessions.filter(s => s.ok).map(s => runCalls(ctx, s)));}

	if (cfg.holdMs > 0) {
		process.stderr.write(`HOLD sessions=${sessions.filter(s => s.ok).length}\n`);
		await sleep(cfg.holdMs);
	}

	await runPool(sessions.length, 16, i => deleteSession(ctx, sessions[i]));
	const wallMs = performance.now() - tWall0;
	transport.destroy();

	const cpu1 = process.cpuUsage(cpu0);
	const clientCpuMs = (cpu1.user + cpu1.system) / 1000;
	const callPhaseMs = ctx.firstCallStart === null ? 0 : ctx.lastCallEnd - ctx.firstCallStart;
	const steadyMs = ctx.firstMeasuredStart === null ? 0 : ctx.lastCallEnd - ctx.firstMeasuredStart;
	const round1 = x => Math.round(x * 10) / 10;
	const report = {
		tool: 'mcp-http-bench',
		label: cfg.label,
		target: cfg.url.href,
		config: {...reportedConfig(cfg), client: cfg.client},
		sessions: {ok: sessions.filter(s => s.ok).length, failed: ctx.sessionErrors.total},
		init: summarize(ctx.initLat),
		calls: {
			sent: ctx.sent,
			ok: ctx.ok,
			errors: ctx.callErrors.total,
			measured: ctx.measuredOk,
			excludedWarmup: ctx.excluded,
		},
		callLatency: summarize(ctx.callLat),
		throughput: {
			callsPerSec: callPhaseMs > 0 ? round1((ctx.ok / callPhaseMs) * 1000) : 0,
			callPhaseMs: round1(callPhaseMs),
			steadyCallsPerSec: steadyMs > 0 ? round1((ctx.measuredOk / steadyMs) * 1000) : 0,
		},
		deleteLatency: summarize(ctx.deleteLat),
		wallMs: round1(wallMs),
		clientCpuMs: round1(clientCpuMs),
		errors: {
			total: ctx.callErrors.total + ctx.sessionErrors.total,
			byType: {...ctx.sessionErrors.byType, ...ctx.callErrors.byType},
			samples: [...ctx.sessionErrors.samples, ...ctx.callErrors.samples],
		},
		protocolIssues: ctx.protocolErrors.toJSON(),
		protocol: ctx.stats,
	};
	if (cfg.json) {
		process.stdout.write(JSON.stringify(report) + '\n');
	} else {
		let text = printReport(report);
		if (report.protocolIssues.total > 0) {
			text += `\nprotocol issues: ${JSON.stringify(report.protocolIssues.byType)}`;
			for (const s of report.protocolIssues.samples) {text += `\n  e.g. ${s}`;}
		}

		process.stdout.write(text + '\n');
	}

	process.exitCode = report.errors.total > 0 ? 1 : 0;
}

try {
	await main();
} catch (error) {
	process.stderr.write(`mcp-http-bench: ${error.stack || error}\n`);
	process.exit(2);
}
