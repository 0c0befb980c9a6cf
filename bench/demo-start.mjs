#!/usr/bin/env node
/* eslint-disable unicorn/no-exports-in-scripts -- a script run on its own that bench/run.mjs also imports */
// How long the built-in demo server takes from spawn to its initialize answer,
// against a bare `node` that answers its first line: every demo session pays
// this. Alternates the two, so a change in the machine's load hits both alike.
//
//   node bench/demo-start.mjs [--runs N]      # prints one JSON object
import {spawn} from 'node:child_process';
import {performance} from 'node:perf_hooks';
import {fileURLToPath} from 'node:url';
import {parseArgs} from 'node:util';

const bin = fileURLToPath(new URL('../bin/mcpd.js', import.meta.url));
const INITIALIZE = '{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"bench","version":"1"}}}\n';
const BARE = [fileURLToPath(new URL('kit/answer-once.mjs', import.meta.url))];

/**
Milliseconds from spawn to the first stdout bytes (the answer to initialize).
@param args
*/
async function once(args) {
	const started = performance.now();
	const child = spawn(process.execPath, args, {stdio: ['pipe', 'pipe', 'ignore']});
	child.stdin.write(INITIALIZE);
	const ms = await new Promise((resolve, reject) => {
		child.stdout.once('data', () => {
			resolve(performance.now() - started);
		});
		child.once('error', reject);
	});
	child.stdin.end();
	await new Promise(resolve => {
		child.once('close', resolve);
	});
	return ms;
}

const median = values => {
	const sorted = [...values].sort((a, b) => a - b);
	return Math.round(sorted[Math.floor(sorted.length / 2)] * 10) / 10;
};

export async function measureDemoStart({runs = 30} = {}) {
	const bare = [];
	const demo = [];
	for (let run = 0; run < runs; run++) {
		bare.push(await once(BARE));
		demo.push(await once([bin, 'demo-server']));
	}

	return {
		starts: runs, bare_node_p50_ms: median(bare), demo_p50_ms: median(demo), ratio: Math.round((median(demo) / median(bare)) * 100) / 100,
	};
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
	const {values} = parseArgs({options: {runs: {type: 'string', default: '30'}}});
	process.stdout.write(`${JSON.stringify(await measureDemoStart({runs: Number(values.runs)}))}\n`);
}
