#!/usr/bin/env node
// What a pre-warmed child costs an `initialize` on its own, without mcpd or HTTP:
// a child spawned ahead and left idle (a spare), then sent the client's
// initialize, timed to its first answer; the same child again after the same
// idle (a warm answer, for comparison); and the first answer when a replacement
// is spawned at the moment of the write, as mcpd did before its replacements
// waited for the answer. The three alternate, child by child, so a change in the
// machine's load hits all alike.
//
//   node bench/spare-answer.mjs [--children 40] [--idle-ms 200] [-- COMMAND ARGS...]
//
// The command defaults to `node bench/echo-server.mjs`. Prints one JSON object:
// p50 and p90 in ms of each, and the spawn call's own time (mcpd's event loop
// is blocked for as long: fork and exec are synchronous in Node).
import {spawn} from 'node:child_process';
import {loadavg} from 'node:os';
import {performance} from 'node:perf_hooks';
import {setTimeout as sleep} from 'node:timers/promises';
import {fileURLToPath} from 'node:url';
import {parseArgs} from 'node:util';

const {values, positionals} = parseArgs({
	options: {children: {type: 'string', default: '40'}, 'idle-ms': {type: 'string', default: '200'}},
	allowPositionals: true,
});
const [command, ...args] = positionals.length > 0 ? positionals : [process.execPath, fileURLToPath(new URL('echo-server.mjs', import.meta.url))];
const idleMs = Number(values['idle-ms']);
const message = id => `${JSON.stringify({
	jsonrpc: '2.0', id, method: 'initialize', params: {protocolVersion: '2025-11-25', capabilities: {}, clientInfo: {name: 'spare-answer', version: '1'}},
})}\n`;

const start = () => spawn(command, args, {stdio: ['pipe', 'pipe', 'ignore'], detached: true});

/**
Ms from writing `line` to the child's first stdout bytes after it.
@param child
@param line
@param during runs right after the write
*/
async function ask(child, line, during = () => {}) {
	const answered = new Promise(resolve => {
		child.stdout.once('data', () => {
			resolve(performance.now());
		});
	});
	const written = performance.now();
	child.stdin.write(line);
	during();
	return (await answered) - written;
}

const first = [];
const warm = [];
const withSpawn = [];
const spawnCall = [];
const children = [];
for (let index = 0; index < Number(values.children); index++) {
	const spare = start();
	const other = start();
	children.push(spare, other);
	await sleep(idleMs);
	first.push(await ask(spare, message(0)));
	withSpawn.push(await ask(other, message(0), () => {
		const called = performance.now();
		children.push(start());
		spawnCall.push(performance.now() - called);
	}));
	await sleep(idleMs);
	warm.push(await ask(spare, message(1)));
	for (const child of children.splice(0)) {
		child.stdin.end();
		child.kill();
	}
}

const percentile = (list, p) => Math.round([...list].sort((a, b) => a - b)[Math.floor(list.length * p)] * 100) / 100;
const summary = list => ({p50: percentile(list, 0.5), p90: percentile(list, 0.9)});
process.stdout.write(`${JSON.stringify({
	command: [command, ...args].join(' '),
	children: first.length,
	idle_ms: idleMs,
	first_answer_ms: summary(first),
	warm_answer_ms: summary(warm),
	first_answer_with_spawn_ms: summary(withSpawn),
	spawn_call_ms: summary(spawnCall),
	load_1m: Number(loadavg()[0].toFixed(2)),
})}\n`);
