/**
 `prewarm = N` with real children: a new session is answered by a child that
 was running before its initialize was sent, that child reads the client's
 own initialize, a used child never serves a second session, spares are
 replenished within the limits, and every one of them is reaped.
 */
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {fileURLToPath} from 'node:url';
import type {Client} from '@modelcontextprotocol/sdk/client/index.js';
import {REPLENISH_GRACE_MS} from '../../source/core/replenish.js';
import {server, startMcpd, testConfig, type Running} from '../helpers/mcpd.js';
import {assertNoNewChildren, descendants, isAlive} from '../helpers/processes.js';
import {waitFor} from '../helpers/wait-for.js';

type Startup = {
	pid: number;
	startedAt: number;
	initialize: {clientInfo?: {name?: string; version?: string}};
};

async function startup(client: Client): Promise<Startup> {
	const result = await client.callTool({name: 'startup', arguments: {}});
	const [content] = result.content as Array<{type: string; text: string}>;
	return JSON.parse(content.text) as Startup;
}

async function prewarmedOf(mcpd: Running, name: string): Promise<number> {
	const status = await (await fetch(new URL('/status', mcpd.base))).json() as {servers: Array<{name: string; prewarmed: number}>};
	return status.servers.find(entry => entry.name === name)!.prewarmed;
}

/**
Children of this process that no session owns and that were not there `before` (tsx has its own): the spares.
*/
function sparePids(mcpd: Running, before: number[]): number[] {
	const owned = new Set(mcpd.supervisor.sessions().map(session => session.pid));
	return descendants().filter(pid => !owned.has(pid) && !before.includes(pid));
}

test('a new session takes a child spawned before its initialize, and the spare is replaced, never reused', async () => {
	const before = descendants();
	const mcpd = await startMcpd(testConfig([server('warm', {prewarm: 2})]));
	try {
		await waitFor(async () => (await prewarmedOf(mcpd, 'warm')) === 2 && sparePids(mcpd, before).length === 2, {message: '2 spares', timeout: 10_000});
		const spares = sparePids(mcpd, before);
		const askedAt = Date.now();
		const {client} = await mcpd.client('warm', {name: 'prewarm-test'});
		const first = await startup(client);
		assert.ok(spares.includes(first.pid), `pid ${first.pid} is not one of the spares ${spares.join(', ')}`);
		assert.ok(first.startedAt < askedAt, `the child started at ${first.startedAt}, after the request at ${askedAt}`);
		// The client's own initialize, not one mcpd made up to warm the child.
		assert.equal(first.initialize.clientInfo?.name, 'prewarm-test');

		// Replenished in the background: two spares again, none of them the child now in use.
		await waitFor(async () => (await prewarmedOf(mcpd, 'warm')) === 2 && sparePids(mcpd, before).length === 2, {message: 'replenished', timeout: 10_000});
		assert.ok(!sparePids(mcpd, before).includes(first.pid));

		// Ended, its child is gone for good; the next session gets another spare.
		await client.close();
		const [session] = mcpd.supervisor.sessions();
		await mcpd.supervisor.kill(session.id, {reason: 'delete'});
		assert.equal(isAlive(first.pid), false);
		const next = sparePids(mcpd, before);
		const {client: second} = await mcpd.client('warm', {name: 'second'});
		const secondStartup = await startup(second);
		assert.notEqual(secondStartup.pid, first.pid);
		assert.ok(next.includes(secondStartup.pid));
		assert.equal(secondStartup.initialize.clientInfo?.name, 'second');
	} finally {
		await mcpd.close();
	}

	await assertNoNewChildren(before);
});

/**
A raw legacy initialize, so that nothing but it reaches the child.
*/
async function rawInitialize(url: URL, signal?: AbortSignal): Promise<Response> {
	return fetch(url, {
		method: 'POST',
		headers: {'content-type': 'application/json', accept: 'application/json, text/event-stream'},
		body: JSON.stringify({
			jsonrpc: '2.0', id: 1, method: 'initialize', params: {protocolVersion: '2025-11-25', capabilities: {}, clientInfo: {name: 'raw', version: '1'}},
		}),
		signal,
	});
}

test('a taken spare is replaced only after its child has answered the client\'s initialize', async () => {
	const before = descendants();
	const mcpd = await startMcpd(testConfig([server('warm', {prewarm: 2})]));
	try {
		await waitFor(async () => (await prewarmedOf(mcpd, 'warm')) === 2, {message: '2 spares', timeout: 10_000});
		const at: Record<string, number> = {};
		mcpd.supervisor.events.on('server-prewarm', ({prewarmed}) => {
			at[`prewarmed ${prewarmed}`] ??= performance.now();
		});
		mcpd.supervisor.events.on('request-finished', ({method}) => {
			at[`answered ${method}`] ??= performance.now();
		});
		const response = await rawInitialize(mcpd.url('warm'));
		assert.equal(response.status, 200);
		await waitFor(() => at['prewarmed 2'] !== undefined, {message: 'replenished', timeout: 10_000});
		const taken = at['prewarmed 1'];
		const answered = at['answered initialize'];
		const replaced = at['prewarmed 2'];
		assert.ok(taken <= answered);
		// Spawning the replacement first would put its cost on this very initialize; only a child
		// slower to answer than the grace (a loaded machine) sees it spawned before its answer.
		assert.ok(
			replaced >= answered || replaced - taken >= REPLENISH_GRACE_MS - 2,
			`replaced ${(replaced - taken).toFixed(1)} ms after the take, ${(answered - taken).toFixed(1)} ms before the answer`,
		);
	} finally {
		await mcpd.close();
	}

	await assertNoNewChildren(before);
});

test('a spare whose child is slow to answer initialize is replaced anyway, well before start_timeout', async () => {
	const before = descendants();
	const silent = server('silent', {prewarm: 1, args: [fileURLToPath(new URL('../fixtures/silent-server.mjs', import.meta.url))]});
	const mcpd = await startMcpd(testConfig([silent]));
	const gone = new AbortController();
	try {
		await waitFor(async () => (await prewarmedOf(mcpd, 'silent')) === 1 && sparePids(mcpd, before).length === 1, {message: 'a spare', timeout: 10_000});
		const [taken] = sparePids(mcpd, before);
		// Never answered: the child stays silent until start_timeout (30 s).
		void rawInitialize(mcpd.url('silent'), gone.signal).catch(() => {});
		await waitFor(() => mcpd.supervisor.sessions().some(session => session.pid === taken), {message: 'the spare taken'});
		await waitFor(() => sparePids(mcpd, before).length === 1, {message: 'a new spare', timeout: 5000});
		assert.equal(mcpd.supervisor.sessions()[0].state, 'starting');
	} finally {
		gone.abort();
		await mcpd.close();
	}

	await assertNoNewChildren(before);
});

test('spares stay within max_sessions and max_total, and all are reaped on shutdown', async () => {
	const before = descendants();
	const mcpd = await startMcpd(testConfig([server('capped', {prewarm: 3, maxSessions: 2}), server('other', {prewarm: 2})], {sessions: {maxTotal: 4}}));
	try {
		// Capped: 2 (its max_sessions), other: 2, total 4 = max_total.
		await waitFor(async () => (await prewarmedOf(mcpd, 'capped')) === 2 && (await prewarmedOf(mcpd, 'other')) === 2, {message: 'spares up to the limits', timeout: 10_000});
		await waitFor(() => descendants().length - before.length === 4, {message: '4 children'});
		const {client} = await mcpd.client('capped');
		await startup(client);
		// One session + one spare = max_sessions 2; the total stays at 4.
		await waitFor(async () => (await prewarmedOf(mcpd, 'capped')) === 1, {message: 'capped keeps 1 spare'});
		assert.equal(await prewarmedOf(mcpd, 'other'), 2);
		assert.equal(descendants().length - before.length, 4);
	} finally {
		await mcpd.close();
	}

	await assertNoNewChildren(before);
});

test('a session at max_total gets its process by stopping another server\'s spare', async () => {
	const before = descendants();
	const mcpd = await startMcpd(testConfig([server('cold'), server('warm', {prewarm: 2})], {sessions: {maxTotal: 2}}));
	try {
		await waitFor(async () => (await prewarmedOf(mcpd, 'warm')) === 2, {message: '2 spares', timeout: 10_000});
		const {client} = await mcpd.client('cold');
		await startup(client);
		assert.equal(await prewarmedOf(mcpd, 'warm'), 1);
		await waitFor(() => descendants().length - before.length === 2, {message: 'the evicted spare reaped'});
	} finally {
		await mcpd.close();
	}

	await assertNoNewChildren(before);
});

test('spares that die unasked are failed starts: the server backs off and is quarantined, not respawned in a loop', async () => {
	const before = descendants();
	const dying = server('dying', {
		prewarm: 2, crashLimit: 3, backoffMaxMs: 60_000, args: [server('x').args[0], '--exit-after-ms', '50'],
	});
	const mcpd = await startMcpd(testConfig([dying]));
	try {
		const quarantined = async () => {
			const status = await (await fetch(new URL('/status', mcpd.base))).json() as {servers: Array<{state: string; failures: number; lastFailure?: {reason: string}}>};
			return status.servers[0].state === 'quarantined' ? status.servers[0] : undefined;
		};

		const entry = await waitFor(quarantined, {message: 'quarantined', timeout: 10_000});
		assert.ok(entry.failures >= 3);
		assert.match(entry.lastFailure?.reason ?? '', /while pre-warmed/);
		// Quarantined: no spare is started until it is over.
		await waitFor(() => descendants().length === before.length, {message: 'no spare left'});
		assert.equal(await prewarmedOf(mcpd, 'dying'), 0);
	} finally {
		await mcpd.close();
	}

	await assertNoNewChildren(before);
});

test('a reload applies prewarm: spares appear, follow a changed command, and go with the server', async () => {
	const before = descendants();
	const config = testConfig([server('warm')]);
	const mcpd = await startMcpd(config);
	try {
		assert.equal(await prewarmedOf(mcpd, 'warm'), 0);
		mcpd.supervisor.reload({...config, servers: [server('warm', {prewarm: 2})]});
		await waitFor(async () => (await prewarmedOf(mcpd, 'warm')) === 2 && sparePids(mcpd, before).length === 2, {message: '2 spares after the reload', timeout: 10_000});
		const old = sparePids(mcpd, before);
		// A changed server gets spares of its new config; the old ones are stopped.
		mcpd.supervisor.reload({...config, servers: [server('warm', {prewarm: 2, args: [...server('x').args, '--name', 'renamed']})]});
		await waitFor(() => {
			const now = sparePids(mcpd, before);
			return now.length === 2 && now.every(pid => !old.includes(pid));
		}, {message: 'the spares replaced', timeout: 10_000});
		mcpd.supervisor.reload({...config, servers: []});
		await waitFor(() => sparePids(mcpd, before).length === 0, {message: 'the removed server\'s spares stopped'});
	} finally {
		await mcpd.close();
	}

	await assertNoNewChildren(before);
});
