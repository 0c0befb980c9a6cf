import {execFileSync} from 'node:child_process';
import {readdirSync, readFileSync} from 'node:fs';
import {createServer} from 'node:net';
// Shared helpers for mcp-http-bench.mjs and stdio-bench.mjs (Node built-ins only).
// Both benches use the same statistics and report format so their figures compare.

export const SUPPORTED_PROTOCOL_VERSIONS = ['2025-11-25', '2025-06-18', '2025-03-26', '2024-11-05'];

/**
Nearest-rank percentile of an ascending-sorted array (q in 0..1).
@param sorted
@param q
*/
export function percentile(sorted, q) {
	if (sorted.length === 0) {return null;}
	const rank = Math.max(1, Math.ceil(q * sorted.length));
	return sorted[Math.min(rank, sorted.length) - 1];
}

/**
Latency summary in milliseconds (values rounded to 3 decimals).
@param values
*/
export function summarize(values) {
	const sorted = Float64Array.from(values).sort();
	const n = sorted.length;
	const r = x => (x === null ? null : Math.round(x * 1000) / 1000);
	if (n === 0) {
		return {
			n: 0, p50: null, p90: null, p99: null, max: null, mean: null, min: null,
		};
	}

	let sum = 0;
	for (const v of sorted) {sum += v;}
	return {
		n,
		min: r(sorted[0]),
		p50: r(percentile(sorted, 0.5)),
		p90: r(percentile(sorted, 0.9)),
		p99: r(percentile(sorted, 0.99)),
		max: r(sorted[n - 1]),
		mean: r(sum / n),
	};
}

/**
 Builds the echo message for call `reqIdx` of session `sessIdx`: a unique tag
 (so a response routed to the wrong call or session is detected) padded with
 'x' to exactly `bytes` bytes (ASCII). If `bytes` is smaller than the tag, the
 tag alone is used.
 @param sessIdx
 @param reqIdx
 @param bytes
 */
export function makeMessage(sessIdx, reqIdx, bytes) {
	const tag = `s${sessIdx}r${reqIdx}:`;
	return bytes <= tag.length ? tag : tag + 'x'.repeat(bytes - tag.length);
}

/**
Counter map helper: bump(obj, key).
@param obj
@param key
@param by
*/
export function bump(obj, key, by = 1) {
	obj[key] = (obj[key] || 0) + by;
}

/**
Records an error by type and keeps a few samples for diagnosis.
*/
export class ErrorLog {
	constructor(maxSamples = 5) {
		this.byType = {};
		this.samples = [];
		this.maxSamples = maxSamples;
	}

	add(type, detail) {
		this.total++;
		bump(this.byType, type);
		if (this.samples.length < this.maxSamples) {
			this.samples.push(`${type}: ${String(detail).slice(0, 300)}`);
		}
	}

	toJSON() {
		return {total: this.total, byType: this.byType, samples: this.samples};
	}

	total = 0;
}

/**
 Checks a JSON-RPC response to an echo call. Returns null when it is right,
 otherwise [errorType, detail].
 @param msg
 @param expectedId
 @param expectedText
 */
export function checkEchoResponse(msg, expectedId, expectedText) {
	if (msg === undefined || msg === null) {return ['no_response', 'no message with the expected id'];}
	if (msg.id !== expectedId) {return ['id_mismatch', `expected id ${expectedId}, got ${JSON.stringify(msg.id)}`];}
	if (msg.error) {return ['rpc_error', JSON.stringify(msg.error)];}
	const content = msg.result?.content;
	if (!Array.isArray(content) || content.length === 0) {return ['bad_result', JSON.stringify(msg.result).slice(0, 200)];}
	const text = content[0]?.text;
	if (text !== expectedText) {
		const got = typeof text === 'string' ? `${text.length} chars, starts ${JSON.stringify(text.slice(0, 40))}` : typeof text;
		return ['text_mismatch', `expected ${expectedText.length} chars starting ${JSON.stringify(expectedText.slice(0, 40))}, got ${got}`];
	}

	return null;
}

/**
Formats a latency summary as one line.
@param s
*/
export function fmtLat(s) {
	if (!s || s.n === 0) {return 'n=0';}
	const f = x => x.toFixed(3);
	return `n=${s.n} p50=${f(s.p50)} p90=${f(s.p90)} p99=${f(s.p99)} max=${f(s.max)} mean=${f(s.mean)} ms`;
}

/**
Human-readable report shared by both benches.
@param rep
*/
export function printReport(rep) {
	const out = [`target:      ${rep.target}`, `config:      sessions=${rep.config.sessions} requests/session=${rep.config.requests} concurrency/session=${rep.config.concurrency} payload=${rep.config.payload}B warmup/session=${rep.config.warmup}`, `sessions:    ok=${rep.sessions.ok} failed=${rep.sessions.failed}`, `initialize:  ${fmtLat(rep.init)}`, `calls:       sent=${rep.calls.sent} ok=${rep.calls.ok} errors=${rep.calls.errors} measured=${rep.calls.measured} excluded_warmup=${rep.calls.excludedWarmup}`, `call lat:    ${fmtLat(rep.callLatency)}`, `throughput:  ${rep.throughput.callsPerSec} calls/s over the call phase (${rep.throughput.callPhaseMs} ms); steady (post-warm-up) ${rep.throughput.steadyCallsPerSec} calls/s`, `wall:        ${rep.wallMs} ms (client CPU ${rep.clientCpuMs} ms${rep.serverCpuMs === undefined ? '' : `, server processes CPU ${rep.serverCpuMs} ms`})`];
	if (rep.errors.total > 0) {
		out.push(`errors:      ${JSON.stringify(rep.errors.byType)}`);
		for (const s of rep.errors.samples) {out.push(`  e.g. ${s}`);}
	}

	if (rep.protocol) {out.push(`protocol:    ${JSON.stringify(rep.protocol)}`);}
	return out.join('\n');
}

/**
Runs `count` async jobs with at most `parallel` in flight. job(i) -> Promise.
@param count
@param parallel
@param job
*/
export async function runPool(count, parallel, job) {
	let next = 0;
	const workers = [];
	const width = Math.max(1, Math.min(parallel, count));
	for (let w = 0; w < width; w++) {
		workers.push((async () => {
			while (next < count) {
				const i = next++;
				await job(i);
			}
		})());
	}

	await Promise.all(workers);
}

/**
The command-line options both load clients take (node:util parseArgs form).
*/
export const WORKLOAD_OPTIONS = {
	sessions: {type: 'string'},
	requests: {type: 'string'},
	concurrency: {type: 'string'},
	payload: {type: 'string'},
	json: {type: 'boolean'},
	warmup: {type: 'string'},
	'session-parallelism': {type: 'string'},
	'protocol-version': {type: 'string'},
	tool: {type: 'string'},
	'expect-prefix': {type: 'string'},
	'timeout-ms': {type: 'string'},
	'hold-ms': {type: 'string'},
	label: {type: 'string'},
	help: {type: 'boolean', short: 'h'},
};

/**
The workload both load clients read from WORKLOAD_OPTIONS' values, defaults filled in.
@param values
*/
export function workloadOf(values) {
	const sessions = intOpt(values, 'sessions', 1, 1);
	return {
		sessions,
		requests: intOpt(values, 'requests', 100, 0),
		concurrency: intOpt(values, 'concurrency', 1, 1),
		payload: intOpt(values, 'payload', 100, 0),
		warmup: intOpt(values, 'warmup', 50, 0),
		sessionParallelism: intOpt(values, 'session-parallelism', sessions, 1),
		protocolVersion: values['protocol-version'] || '2025-11-25',
		tool: values.tool || 'echo',
		expectPrefix: values['expect-prefix'] || '',
		timeoutMs: intOpt(values, 'timeout-ms', 30_000, 1),
		holdMs: intOpt(values, 'hold-ms', 0, 0),
		json: Boolean(values.json),
		label: values.label || '',
	};
}

/**
 Newline framing on raw bytes (0x0A never occurs inside UTF-8 multi-byte
 sequences); a long line is joined once instead of being rescanned.
 */
export class LineBuffer {
	constructor(onLine) {
		this.onLine = onLine;
		this.partial = [];
	}

	push(chunk) {
		let start = 0;
		let nl = chunk.indexOf(10);
		while (nl !== -1) {
			let lineBuf;
			if (this.partial.length > 0) {
				this.partial.push(chunk.subarray(start, nl));
				lineBuf = Buffer.concat(this.partial);
				this.partial = [];
			} else {
				lineBuf = chunk.subarray(start, nl);
			}

			this.onLine(lineBuf.toString('utf8'));
			start = nl + 1;
			nl = chunk.indexOf(10, start);
		}

		if (start < chunk.length) {this.partial.push(chunk.subarray(start));}
	}

	/**
	What is left without a newline, as a last line.
	*/
	flush() {
		if (this.partial.length === 0) {return;}
		const line = Buffer.concat(this.partial).toString('utf8');
		this.partial = [];
		this.onLine(line);
	}
}

/**
The workload as a report states it.
@param cfg
*/
export function reportedConfig(cfg) {
	const {sessions, requests, concurrency, payload, warmup, sessionParallelism, protocolVersion, tool, expectPrefix, timeoutMs, holdMs} = cfg;
	return {
		sessions, requests, concurrency, payload, warmup, sessionParallelism, protocolVersion, tool, expectPrefix, timeoutMs, holdMs,
	};
}

/**
Integer option parser with bounds.
@param values
@param name
@param def
@param min
*/
export function intOpt(values, name, def, min = 0) {
	const raw = values[name];
	if (raw === undefined) {return def;}
	const n = Number(raw);
	if (!Number.isInteger(n) || n < min) {
		throw new Error(`--${name} must be an integer >= ${min} (got ${raw})`);
	}

	return n;
}

export const sleep = ms => new Promise(r => setTimeout(r, ms));

/**
A TCP port free on the loopback now; another program may take it before it is used, so callers retry on EADDRINUSE.
*/
export async function freePort() {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const {port} = server.address();
			server.close(() => {
				resolve(port);
			});
		});
	});
}

/**
Clock ticks per second of /proc/<pid>/stat CPU times.
*/
export const CLK_TCK = (() => {
	try {
		return Number(execFileSync('getconf', ['CLK_TCK'], {encoding: 'utf8'}).trim()) || 100;
	} catch {
		return 100;
	}
})();

/**
Every process's parent, CPU ticks (own, and of reaped children) and start time; empty off Linux.
*/
export function processTable() {
	const table = new Map();
	let names;
	try {
		names = readdirSync('/proc');
	} catch {
		return table;
	}

	for (const name of names) {
		if (!/^\d+$/.test(name)) {continue;}
		let stat;
		try {
			stat = readFileSync(`/proc/${name}/stat`, 'utf8');
		} catch {
			continue; // Gone between readdir and read.
		}

		// The command name may hold spaces and parentheses: fields start after the last ')'.
		const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
		table.set(Number(name), {
			ppid: Number(fields[1]),
			own: Number(fields[11]) + Number(fields[12]),
			reaped: Number(fields[13]) + Number(fields[14]),
			start: fields[19],
		});
	}

	return table;
}
