/**
 Supervisor.reload on a running mcpd with live sessions: added servers serve,
 removed ones drain, changed ones apply to new sessions only.
 */
import assert from 'node:assert/strict';
import {after, before, describe, test} from 'node:test';
import {FIXTURE, server, startMcpd, testConfig, type Running} from '../helpers/mcpd.js';
import {assertNoNewChildren, descendants} from '../helpers/processes.js';

describe('reloading the config of a running mcpd', () => {
	let mcpd: Running;
	let childrenBefore: number[];
	const base = () => testConfig([server('keep'), server('gone'), server('change', {args: [FIXTURE, '--name', 'before']})]);

	before(async () => {
		childrenBefore = descendants();
		mcpd = await startMcpd(base());
	});

	after(async () => {
		await mcpd.close();
		await assertNoNewChildren(childrenBefore);
	});

	test('added, removed and changed servers; live sessions untouched; http settings wait for a restart', async () => {
		const onGone = await mcpd.client('gone');
		const onChange = await mcpd.client('change');
		assert.equal(onChange.client.getServerVersion()?.name, 'before');
		const next = testConfig([server('keep'), server('change', {args: [FIXTURE, '--name', 'after']}), server('added')]);
		const diff = mcpd.supervisor.reload({...next, http: {...next.http, port: 1234}});
		assert.deepEqual(diff, {
			added: ['added'], removed: ['gone'], changed: ['change'], needRestart: ['http.port'],
		});
		assert.equal(mcpd.supervisor.config.http.port, 0, 'the running port stays');

		// Added: serves at once.
		const added = await mcpd.client('added');
		assert.deepEqual((await added.client.callTool({name: 'echo', arguments: {message: 'new'}})).content, [{type: 'text', text: 'new'}]);
		// Removed: its live session still works, a new one is refused, and it shows as removed until drained.
		assert.deepEqual((await onGone.client.callTool({name: 'echo', arguments: {message: 'still'}})).content, [{type: 'text', text: 'still'}]);
		const refused = await fetch(mcpd.url('gone'), {
			method: 'POST',
			headers: {'content-type': 'application/json', accept: 'application/json, text/event-stream'},
			body: JSON.stringify({
				jsonrpc: '2.0', id: 1, method: 'initialize', params: {protocolVersion: '2025-11-25', capabilities: {}, clientInfo: {name: 'late', version: '1'}},
			}),
		});
		assert.equal(refused.status, 404);
		assert.match(await refused.text(), /removed from the config/);
		assert.equal(mcpd.supervisor.servers().find(entry => entry.name === 'gone')?.state, 'removed');
		await onGone.transport.terminateSession();
		assert.equal(mcpd.supervisor.servers().find(entry => entry.name === 'gone'), undefined, 'dropped once drained');
		// Changed: the old session keeps its child; a new one gets the new command line.
		assert.equal(onChange.client.getServerVersion()?.name, 'before');
		const fresh = await mcpd.client('change');
		assert.equal(fresh.client.getServerVersion()?.name, 'after');
	});
});
