#!/usr/bin/env node
// Prints the comparison table of a bench/compare.sh run: one row per proxy and
// workload, with ratios against the direct-stdio floor and the best peer.
//   node bench/report.mjs bench/results/<file>.jsonl [--markdown]
import {readFileSync} from 'node:fs';

const file = process.argv[2];
if (!file) {
	console.error('usage: report.mjs RESULTS.jsonl');
	process.exit(2);
}

const lines = readFileSync(file, 'utf8').split('\n').filter(line => line.startsWith('{')).map(line => JSON.parse(line));
const PEERS = new Set(['supergateway', 'mcp-proxy', 'seed']);

// Per workload: the figure that matters, and whether more is better.
const METRICS = {
	A: {
		key: 'p50_ms', label: 'p50 latency ms', higher: false, extra: ['cps', 'p99_ms'],
	},
	B: {
		key: 'cps', label: 'calls/s (16 sessions)', higher: true, extra: ['p50_ms', 'p99_ms'],
	},
	C: {
		key: 'p50_ms', label: '1 MiB call p50 ms', higher: false, extra: ['ok'],
	},
	D: {
		key: 'init_p50_ms', label: 'initialize p50 ms', higher: false, extra: ['init_p99_ms'],
	},
	E: {
		key: 'per_session_kib', label: 'KiB per session', higher: false, extra: ['held_tree_kib'],
	},
	F: {
		key: 'cpu_ms_per_1k_calls', label: 'CPU ms / 1k calls', higher: false, extra: [],
	},
};

const byWorkload = new Map();
for (const line of lines) {
	if (!byWorkload.has(line.workload)) {byWorkload.set(line.workload, new Map());}
	byWorkload.get(line.workload).set(line.proxy, line.median ?? {});
}

const fmt = value => (typeof value === 'number' ? (Math.abs(value) >= 100 ? Math.round(value).toLocaleString('en-US') : String(Number(value.toPrecision(3)))) : (value === undefined || value === null ? '–' : String(value)));
const ratio = (a, b, higher) => (typeof a === 'number' && typeof b === 'number' && a > 0 && b > 0 ? (higher ? a / b : b / a) : undefined);

const out = [];
for (const [workload, metric] of Object.entries(METRICS)) {
	const rows = byWorkload.get(workload);
	if (!rows) {continue;}
	const value = proxy => rows.get(proxy)?.[metric.key];
	const peerValues = [...rows.keys()].filter(proxy => PEERS.has(proxy)).map(value).filter(v => typeof v === 'number' && v > 0);
	const bestPeer = peerValues.length === 0 ? undefined : (metric.higher ? Math.max(...peerValues) : Math.min(...peerValues));
	out.push(`\n${workload}: ${metric.label} (${metric.higher ? 'higher' : 'lower'} is better; ratios: the row against that reference, above 1× = better)`);
	const header = ['proxy', metric.key, ...metric.extra, 'vs stdio', 'vs best peer', 'errors', 'leaked'];
	out.push(`| ${header.join(' | ')} |`, `|${header.map(() => '---|').join('')}`);
	for (const [proxy, median] of rows) {
		const vsStdio = proxy === 'stdio' ? undefined : ratio(value(proxy), value('stdio'), metric.higher);
		const vsPeer = PEERS.has(proxy) ? undefined : ratio(value(proxy), bestPeer, metric.higher);
		const cells = [proxy, fmt(value(proxy)), ...metric.extra.map(key => fmt(median[key])), vsStdio ? `${fmt(vsStdio)}×` : '', vsPeer ? `${fmt(vsPeer)}×` : '', fmt(median.errors), fmt(median.servers_leaked)];
		out.push(`| ${cells.join(' | ')} |`);
	}
}

console.log(out.join('\n').trim());
