/**
 Servers that fail over and over, with real children: start_timeout for both
 eras, quarantine (503 + Retry-After + stderr), its end after the back-off
 or by restartServer, and a server that crashes on every request.
 */
import assert from 'node:assert/strict';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {after, before, describe, test} from 'node:test';
import {fileURLToPath} from 'node:url';
import {FIXTURE, modernClient, server, startMcpd, testConfig, type Running} from '../helpers/mcpd.js';
import {assertNoNewChildren, descendants, isAlive} from '../helpers/processes.js';
import {waitFor} from '../helpers/wait-for.js';

const SILENT = fileURLToPath(new URL('../fixtures/silent-server.mjs', import.meta.url));
const ACCEPT = 'application/json, text/event-stream';
const text = (result: unknown) => ((result as {content: Array<{text: string}>}).content[0]).text;

type RpcError = {
	code: number;
	message: string;
	data: any;
};

/**
A raw legacy `initialize`: the status, Retry-After and JSON-RPC error of the answer.
*/
async function initialize(url: URL): Promise<{status: number; retryAfter: string | null; sessionId: string | null; error: RpcError | undefined}> {
	const response = await fetch(url, {
		method: 'POST',
		headers: {'content-type': 'application/json', accept: ACCEPT},
		body: JSON.stringify({
			jsonrpc: '2.0', id: 1, method: 'initialize', params: {protocolVersion: '2025-11-25', capabilities: {}, clientInfo: {name: 'raw', version: '1'}},
		}),
	});
	const body = await response.json() as {error?: RpcError};
	return {
		status: response.status, retryAfter: response.headers.get('retry-after'), sessionId: response.headers.get('mcp-session-id'), error: body.error,
	};
}

/**
A command that fails until `flag` exists, then runs the fixture server: a server someone fixes.
*/
function flaky(name: string, flag: string, overrides: Parameters<typeof server>[1] = {}) {
	return server(name, {
		command: 'sh',
		args: ['-c', 'test -f "$FLAG" || { echo "flaky: $FLAG is missing" >&2; exit 1; }; exec "$NODE" "$FIXTURE"'],
		env: {FLAG: flag, NODE: process.execPath, FIXTURE},
		...overrides,
	});
}

describe('failing servers', () => {
	let mcpd: Running;
	let dir: string;
	let childrenBefore: number[];
	const logs: Array<{level: string; message: string; fields?: Record<string, unknown>}> = [];
	const states: Array<{server: string; state: string; retryAt?: number}> = [];

	before(async () => {
		childrenBefore = descendants();
		dir = mkdtempSync(path.join(tmpdir(), 'mcpd-failing-'));
		mcpd = await startMcpd(testConfig([
			server('fx'),
			server('silent', {args: [SILENT], startTimeoutMs: 500}),
			flaky('flaky', path.join(dir, 'flaky-fixed'), {crashLimit: 2, backoffMaxMs: 30_000}),
			flaky('brief', path.join(dir, 'brief-fixed'), {crashLimit: 2, backoffMaxMs: 300}),
			server('crashy', {crashLimit: 3, backoffMaxMs: 1000}),
		]));
		mcpd.supervisor.events.on('log', entry => logs.push(entry));
		mcpd.supervisor.events.on('server-state', entry => states.push(entry));
	});

	after(async () => {
		await mcpd.close();
		rmSync(dir, {recursive: true, force: true});
		await assertNoNewChildren(childrenBefore);
	});

	test('legacy: a child that never answers initialize is stopped after start_timeout; the client gets 504 naming server, command and stderr', async () => {
		const started = Date.now();
		const {status, sessionId, error} = await initialize(mcpd.url('silent'));
		const took = Date.now() - started;
		assert.equal(status, 504);
		assert.equal(sessionId, null, 'no session was made');
		assert.ok(took >= 450 && took < 3000, `answered after ${took} ms, not after request_timeout (300 s)`);
		assert.equal(error?.code, -32_001);
		assert.match(error.message, /MCP server "silent" did not answer initialize within start_timeout \(0\.5 s\) and was stopped \(command: .*node.*\); its stderr ends: silent: waiting for a licence server that never answers/);
		assert.equal(error.data.command, process.execPath);
		assert.equal(error.data.startTimeout, 0.5);
		const pid = Number(/silent: started pid=(\d+)/.exec(error.data.stderr.join('\n'))?.[1]);
		assert.ok(pid > 0);
		await waitFor(() => !isAlive(pid), {message: 'the silent child to be stopped'});
		await waitFor(() => mcpd.supervisor.sessions().every(session => session.server !== 'silent'), {message: 'its session to be gone'});
	});

	test('legacy, with the SDK client: connect fails with the same error', async () => {
		await assert.rejects(mcpd.client('silent'), /did not answer initialize within start_timeout \(0\.5 s\).*its stderr ends: silent: waiting/);
		await mcpd.supervisor.restartServer('silent');
	});

	test('modern: mcpd\'s own initialize of a shared child uses start_timeout, and the request fails with 504', async () => {
		const response = await fetch(mcpd.url('silent'), {
			method: 'POST',
			headers: {
				'content-type': 'application/json', accept: ACCEPT, 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'tools/list',
			},
			body: JSON.stringify({
				jsonrpc: '2.0', id: 7, method: 'tools/list', params: {_meta: {'io.modelcontextprotocol/protocolVersion': '2026-07-28', 'io.modelcontextprotocol/clientCapabilities': {}}},
			}),
		});
		assert.equal(response.status, 504);
		const body = await response.json() as {id: number; error: RpcError};
		assert.equal(body.id, 7);
		assert.equal(body.error.code, -32_001);
		assert.match(body.error.message, /MCP server "silent" did not answer initialize within start_timeout \(0\.5 s\).*its stderr ends: silent: waiting/);
		assert.deepEqual(body.error.data.stderr.slice(-1), ['silent: waiting for a licence server that never answers']);
		await waitFor(() => mcpd.supervisor.sessions().every(session => session.server !== 'silent'), {message: 'the modern child to be stopped'});

		// The 2.x SDK's own probe (server/discover) leases the child, so connecting fails with it.
		const started = Date.now();
		await assert.rejects(modernClient(mcpd.url('silent')), (error: {data?: {status?: number; text?: string}}) => {
			assert.equal(error.data?.status, 504);
			assert.match(error.data?.text ?? '', /did not answer initialize within start_timeout/);
			return true;
		});
		assert.ok(Date.now() - started < 3000, `${Date.now() - started} ms`);
		await mcpd.supervisor.restartServer('silent');
	});

	test('repeated failed starts quarantine the server: 503 with Retry-After and the last stderr lines, shown in /status, logged once', async () => {
		const url = mcpd.url('flaky');
		const first = await initialize(url);
		assert.equal(first.status, 502, 'a failed start is still the gateway\'s failure');
		assert.match(first.error!.message, /exited \(exit code 1\)/);
		assert.equal((await initialize(url)).status, 502);
		// Two failures in a row, crash_limit 2: quarantined for the second back-off step, 2 s.
		const refused = await initialize(url);
		assert.equal(refused.status, 503);
		assert.equal(refused.retryAfter, '2');
		assert.equal(refused.error!.code, -32_005);
		assert.match(refused.error!.message, /server "flaky" is quarantined after repeated failed starts \(2 within crash_window 60 s\); the last child exited \(exit code 1\); retry in 2 s/);
		assert.equal(refused.error!.data.command, 'sh');
		assert.equal(refused.error!.data.lastFailure, 'exited (exit code 1)');
		assert.match(refused.error!.data.stderr.at(-1), /^flaky: .*flaky-fixed is missing$/);
		for (let i = 0; i < 5; i++) {
			assert.equal((await initialize(url)).status, 503);
		}

		const status = await (await fetch(new URL('/status', mcpd.base))).json() as {servers: Array<Record<string, any>>};
		const row = status.servers.find(entry => entry.name === 'flaky')!;
		assert.equal(row.state, 'quarantined');
		assert.equal(row.crashes, 2);
		assert.equal(row.failures, 2);
		assert.equal(row.spawned, 2, 'nothing was spawned while quarantined');
		assert.ok(row.retryAt > Date.now());
		assert.ok(row.retryAt <= Date.now() + 2000);
		assert.match(row.lastFailure.stderr.at(-1), /flaky-fixed is missing/);
		assert.equal(logs.filter(entry => entry.message === 'server quarantined' && entry.fields?.server === 'flaky').length, 1);
		assert.ok(states.some(entry => entry.server === 'flaky' && entry.state === 'quarantined' && entry.retryAt === row.retryAt));
	});

	test('restartServer (the dashboard\'s r) lifts the quarantine, and a fixed command then serves', async () => {
		writeFileSync(path.join(dir, 'flaky-fixed'), '');
		assert.equal(mcpd.supervisor.servers().find(entry => entry.name === 'flaky')?.state, 'quarantined');
		assert.equal(await mcpd.supervisor.restartServer('flaky'), 0);
		assert.equal(mcpd.supervisor.servers().find(entry => entry.name === 'flaky')?.state, 'ready');
		assert.ok(states.some(entry => entry.server === 'flaky' && entry.state === 'ready'));
		assert.ok(logs.some(entry => entry.message === 'quarantine lifted' && entry.fields?.server === 'flaky'));
		const {client} = await mcpd.client('flaky');
		assert.equal(text(await client.callTool({name: 'echo', arguments: {message: 'fixed'}})), 'fixed');
		await client.close();
	});

	test('a quarantine ends by itself after the back-off; the next start is a trial', async () => {
		const url = mcpd.url('brief');
		assert.equal((await initialize(url)).status, 502);
		assert.equal((await initialize(url)).status, 502);
		const refused = await initialize(url);
		assert.equal(refused.status, 503, 'quarantined for backoff_max, 0.3 s');
		assert.equal(refused.retryAfter, '1', 'Retry-After is whole seconds, at least 1');
		writeFileSync(path.join(dir, 'brief-fixed'), '');
		await waitFor(() => states.some(entry => entry.server === 'brief' && entry.state === 'ready'), {timeout: 2000, message: 'the quarantine to end'});
		const trial = await initialize(url);
		assert.equal(trial.status, 200);
		assert.ok(logs.some(entry => entry.message.startsWith('server out of quarantine') && entry.fields?.server === 'brief'));
		await fetch(url, {method: 'DELETE', headers: {'mcp-session-id': trial.sessionId!}});
	});

	test('a server that crashes on every request: clients retrying as fast as they can get a bounded number of children', async t => {
		const url = mcpd.url('crashy');
		const clients = 20;
		const durationMs = 3000;
		const config = mcpd.supervisor.serverConfig('crashy')!;
		const deadline = Date.now() + durationMs;
		const outcomes = {served: 0, refused: 0, failed: 0};
		await Promise.all(Array.from({length: clients}, async () => {
			while (Date.now() < deadline) {
				const opened = await initialize(url);
				if (opened.status === 503) {
					outcomes.refused++;
					continue;
				}

				if (opened.status !== 200) {
					outcomes.failed++;
					continue;
				}

				const call = await fetch(url, {
					method: 'POST',
					headers: {'content-type': 'application/json', accept: ACCEPT, 'mcp-session-id': opened.sessionId!},
					body: JSON.stringify({
						jsonrpc: '2.0', id: 2, method: 'tools/call', params: {name: 'crash', arguments: {code: 1, stderr: ['Segmentation fault']}},
					}),
				});
				await call.text();
				outcomes.served++;
			}
		}));
		const {spawned} = mcpd.supervisor.servers().find(entry => entry.name === 'crashy')!;
		// Its children start fine, so at first every client may get one. Then each quarantine
		// (backoff_max = 1 s here, so every one lasts 1 s) lets through a trial start, and
		// the one-at-a-time starts that fit before the trial's client crashes it: a few.
		const bound = clients + (3 * Math.ceil(durationMs / config.backoffMaxMs));
		t.diagnostic(`crashy: ${spawned} children for ${clients} clients in ${durationMs} ms (bound ${bound}); ${JSON.stringify(outcomes)}`);
		assert.ok(spawned <= bound, `${spawned} children for ${clients} clients in ${durationMs} ms (bound ${bound}); ${JSON.stringify(outcomes)}`);
		assert.ok(outcomes.refused > 0, JSON.stringify(outcomes));
	});
});
