/**
 What a child can see of the environment: the baseline, its server's env, and
 through header_env the caller's own keys, for that session's child only.
 */
import assert from 'node:assert/strict';
import {after, before, describe, test} from 'node:test';
import {FIXTURE, startMcpd, server, testConfig, type Running} from '../helpers/mcpd.js';
import {assertNoNewChildren, descendants} from '../helpers/processes.js';

const text = (result: unknown) => ((result as {content: Array<{text: string}>}).content[0]).text;

describe('child environments', () => {
	let mcpd: Running;
	let childrenBefore: number[];
	const logLines: string[] = [];

	before(async () => {
		childrenBefore = descendants();
		mcpd = await startMcpd(testConfig([
			server('agent', {env: {SERVER_SETTING: 'on'}, headerEnv: {'x-openai-key': 'OPENAI_API_KEY'}}),
		]), {PATH: process.env.PATH, HOME: '/home/test', MCPD_SECRET: 'do-not-pass'});
		mcpd.supervisor.events.on('log', entry => logLines.push(JSON.stringify(entry)));
	});

	after(async () => {
		await mcpd.close();
		await assertNoNewChildren(childrenBefore);
	});

	test('a child sees the baseline and its server env, not mcpd\'s other variables', async () => {
		const {client} = await mcpd.client('agent');
		const keys = JSON.parse(text(await client.callTool({name: 'env_keys', arguments: {}}))) as string[];
		assert.deepEqual(keys, ['HOME', 'PATH', 'SERVER_SETTING']);
	});

	test('two sessions with different header keys each see only their own', async () => {
		const alice = await mcpd.client('agent', {headers: {'X-OpenAI-Key': 'sk-alice'}});
		const bob = await mcpd.client('agent', {headers: {'X-OpenAI-Key': 'sk-bob'}});
		const anon = await mcpd.client('agent');
		const read = async (client: typeof alice.client) => JSON.parse(text(await client.callTool({name: 'env', arguments: {names: ['OPENAI_API_KEY']}}))).OPENAI_API_KEY;
		assert.equal(await read(alice.client), 'sk-alice');
		assert.equal(await read(bob.client), 'sk-bob');
		assert.equal(await read(anon.client), null);
		// Never in mcpd's log, nor in what /status shows.
		const status = await (await fetch(new URL('/status', mcpd.base))).text();
		for (const secret of ['sk-alice', 'sk-bob']) {
			assert.ok(logLines.every(line => !line.includes(secret)));
			assert.ok(!status.includes(secret));
		}
	});
});

describe('what the log says about a spawn', () => {
	let childrenBefore: number[];
	before(() => {
		childrenBefore = descendants();
	});
	after(async () => {
		await assertNoNewChildren(childrenBefore);
	});

	test('names the command but not its arguments, which may hold expanded secrets', async () => {
		const mcpd = await startMcpd(testConfig([server('keyed', {args: [FIXTURE, '--name', 'sk-live-secret-in-args']})]));
		const lines: string[] = [];
		mcpd.supervisor.events.on('log', entry => lines.push(JSON.stringify(entry)));
		try {
			await mcpd.client('keyed');
			const spawned = lines.find(line => line.includes('"spawned"'));
			assert.ok(spawned?.includes(process.execPath));
			assert.ok(lines.every(line => !line.includes('sk-live-secret-in-args')));
		} finally {
			await mcpd.close();
		}
	});
});
