#!/usr/bin/env node
// What the dashboard's drawing costs, without children, HTTP or a real terminal: the
// store and the App of a built dist/ drawn by Ink at 80x24 into a counting stream,
// fed 100 sessions' stderr at 1,000 lines a second and a /proc reader whose CPU
// figures move every second (as under bench/dashboard-cpu.mjs). Everything in the
// process is the dashboard's, so its CPU time needs no headless run to subtract and
// does not depend on how children's lines were batched on a busy machine.
//
//   node bench/dashboard-frames.mjs [--seconds 10] [--sessions 100] [--lines-per-second 1000] [--dist DIR]
//
// --dist: another build's dist/ (e.g. a copy of an older commit's) drawn with this
// checkout's node_modules, to compare two builds by turns in the same minutes.
// Prints a JSON line: CPU ms per second and per frame, frames and bytes per second.
import {EventEmitter} from 'node:events';
import path from 'node:path';
import process from 'node:process';
import {Writable} from 'node:stream';
import {fileURLToPath, pathToFileURL} from 'node:url';
import {parseArgs} from 'node:util';

const {values} = parseArgs({
	options: {
		seconds: {type: 'string'}, sessions: {type: 'string'}, 'lines-per-second': {type: 'string'}, dist: {type: 'string'},
	},
});
const seconds = Number(values.seconds ?? 10);
const sessions = Number(values.sessions ?? 100);
const linesPerSecond = Number(values['lines-per-second'] ?? 1000);
const root = fileURLToPath(new URL('..', import.meta.url));
const dist = path.resolve(values.dist ?? path.join(root, 'dist'));

// As mcpd does before Ink loads: React's development build would triple the cost.
process.env.NODE_ENV ??= 'production';
const React = await import('react');
const {render} = await import('ink');
const {createDashboardStore} = await import(pathToFileURL(path.join(dist, 'store/store.js')).href);
const {App} = await import(pathToFileURL(path.join(dist, 'ui/app.js')).href);

class CountingTerminal extends Writable {
	isTTY = true;
	columns = 80;
	rows = 24;
	bytes = 0;
	writes = 0;

	// eslint-disable-next-line unicorn/prefer-private-class-fields -- the name Writable calls
	_write(chunk, _encoding, callback) {
		this.bytes += chunk.length;
		this.writes++;
		callback();
	}
}

const stats = (count, p50) => ({
	count, rps: 0, errorsPerSec: 0, p50, p95: p50, p99: p50, max: p50,
});
const ids = Array.from({length: sessions}, (_, i) => `${String(i).padStart(4, '0')}beef-0000-4000-8000-000000000000`);
const latency = {
	windowSeconds: 60, overall: stats(sessions, 160), servers: {}, sessions: Object.fromEntries(ids.map((id, i) => [id, stats(1, 100 + i)])),
};
const events = new EventEmitter();
const supervisor = {
	events,
	servers: () => [{
		name: 'spam', state: 'ready', command: 'node', args: [], sessions, crashes: 0, failures: 0, retryAt: undefined, lastFailure: undefined, spawned: sessions, prewarmed: 0, unattributed: 0,
	}],
	sessions: () => [],
	stderrTail: () => [],
	kill: async () => 'killed',
	restartServer: async () => 0,
};
// Each child's CPU time grows by a different amount, so the CPU% column moves every second.
const started = Date.now();
const group = pid => [{
	pid, pgid: pid, cpuSeconds: ((Date.now() - started) / 1000) * (0.01 + ((pid % 7) / 100)), rss: 40_000_000 + (pid * 4096),
}];
const readProcesses = {
	groups: () => new Map(ids.map((_, i) => [10_000 + i, group(10_000 + i)])),
	one: pid => group(pid)[0],
};

// Builds before the rename took the supervisor as `port`: --dist may run one of them.
const store = createDashboardStore({
	supervisor, port: supervisor, latency: () => latency, readProcesses,
});
const now = Date.now();
for (const [i, id] of ids.entries()) {
	events.emit('session-opened', {
		id, server: 'spam', era: 'legacy', identity: undefined, pid: 10_000 + i, state: 'live', clientName: `bench-${i}`, clientVersion: '1', protocolVersion: '2025-11-25', tag: undefined, startedAt: now, lastActivity: now, requests: 1, errors: 0, inFlight: 0,
	});
}

const terminal = new CountingTerminal();
let frames = 0;
const instance = render(React.createElement(App, {
	store, supervisor, port: supervisor, info: {version: '0.1.0', url: 'http://127.0.0.1:8080', readOnly: false}, onQuit() {},
}), {
	stdout: terminal, interactive: true, alternateScreen: true, exitOnCtrlC: false, patchConsole: false, maxFps: 15, incrementalRendering: true,
	onRender() {
		frames++;
	},
});

// 1,000 lines a second spread over the sessions, in 10 ms batches as a pipe would bring them.
const perBatch = Math.max(1, Math.round(linesPerSecond / 100));
let line = 0;
const feed = setInterval(() => {
	for (let i = 0; i < perBatch; i++, line++) {
		const id = ids[line % sessions];
		events.emit('stderr', {
			sessionId: id, server: 'spam', line: `spam ${10_000 + (line % sessions)} line ${Math.floor(line / sessions)} ........................................`, time: Date.now(),
		});
	}
}, 10);

const sleep = ms => new Promise(resolve => {
	setTimeout(resolve, ms);
});
await sleep(3000); // Let start-up and the JIT settle
const cpuBefore = process.cpuUsage();
const framesBefore = frames;
const bytesBefore = terminal.bytes;
const writesBefore = terminal.writes;
const t0 = performance.now();
await sleep(seconds * 1000);
const cpu = process.cpuUsage(cpuBefore);
const elapsed = (performance.now() - t0) / 1000;
clearInterval(feed);
instance.unmount();
store.dispose();

const cpuMs = (cpu.user + cpu.system) / 1000;
const n = frames - framesBefore;
const round = x => Math.round(x * 10) / 10;
console.log(JSON.stringify({
	dist, sessions, linesPerSecond, seconds: round(elapsed), cpuMsPerS: round(cpuMs / elapsed), cpuMsPerFrame: round(cpuMs / n), framesPerS: round(n / elapsed), bytesPerS: Math.round((terminal.bytes - bytesBefore) / elapsed), writesPerS: round((terminal.writes - writesBefore) / elapsed),
}));
process.exit(0);
