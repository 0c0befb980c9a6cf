/**
 `/metrics` after real traffic through both eras: the counts match what was
 done, children's memory is read from /proc, and no label names a session,
 an identity or anything a client sent.
 */
import assert from 'node:assert/strict';
import {after, before, describe, test} from 'node:test';
import {modernClient, server, startMcpd, testConfig, type Running} from '../helpers/mcpd.js';
import {assertNoNewChildren, descendants} from '../helpers/processes.js';

const TOKEN = 'metrics-test-token';

/**
`name{labels} value` lines as a map from `name{labels}` to the value.
*/
function samples(text: string): Map<string, number> {
	const map = new Map<string, number>();
	for (const line of text.split('\n')) {
		if (line.startsWith('#') || line.trim() === '') {
			continue;
		}

		const space = line.lastIndexOf(' ');
		map.set(line.slice(0, space), Number(line.slice(space + 1)));
	}

	return map;
}

describe('/metrics', () => {
	let mcpd: Running;
	let childrenBefore: number[];

	before(async () => {
		childrenBefore = descendants();
		mcpd = await startMcpd(testConfig([server('fx', {headerEnv: {'x-user': 'USER'}})], {http: {token: TOKEN}}));
	});

	after(async () => {
		await mcpd.close();
		await assertNoNewChildren(childrenBefore);
	});

	const scrape = async (token = TOKEN) => fetch(new URL('/metrics', mcpd.base), {headers: token ? {authorization: `Bearer ${token}`} : {}});

	test('behind the token', async () => {
		assert.equal((await scrape('')).status, 401);
		const ok = await scrape();
		assert.equal(ok.status, 200);
		assert.match(ok.headers.get('content-type')!, /^text\/plain; version=0\.0\.4/);
	});

	test('sessions, children, requests and ends are counted by server, era, method and reason', async () => {
		const headers = {authorization: `Bearer ${TOKEN}`, 'x-user': 'secret-user-value'};
		const legacy = await mcpd.client('fx', {headers});
		for (let i = 0; i < 3; i++) {
			await legacy.client.callTool({name: 'echo', arguments: {message: `m${i}`}});
		}

		const modern = await modernClient(mcpd.url('fx'), {headers});
		await modern.callTool({name: 'echo', arguments: {message: 'new'}});
		await modern.callTool({name: 'echo', arguments: {message: 'new'}});
		await legacy.transport.terminateSession();
		const response = await scrape();
		const text = await response.text();
		const values = samples(text);
		assert.equal(values.get('mcpd_sessions_started_total{server="fx",era="legacy"}'), 1);
		assert.equal(values.get('mcpd_sessions_started_total{server="fx",era="modern"}'), 1);
		assert.equal(values.get('mcpd_sessions_ended_total{server="fx",era="legacy",reason="delete"}'), 1);
		assert.equal(values.get('mcpd_sessions{server="fx",era="modern"}'), 1);
		assert.equal(values.get('mcpd_sessions{server="fx",era="legacy"}'), 0);
		assert.equal(values.get('mcpd_request_duration_seconds_count{server="fx",method="tools/call",outcome="ok"}'), 5);
		assert.ok(values.get('mcpd_request_duration_seconds_sum{server="fx",method="tools/call",outcome="ok"}')! > 0);
		assert.ok(values.get('mcpd_children_resident_memory_bytes{server="fx"}')! > 10 * 1024 * 1024, 'one live Node child');
		assert.ok((values.get('mcpd_process_resident_memory_bytes') ?? 0) > 0, 'mcpd\'s own process metrics');
		assert.equal(values.get('mcpd_config_reloads_total'), 0);
		for (const id of mcpd.supervisor.sessions().map(session => session.id)) {
			assert.ok(!text.includes(id));
		}

		assert.ok(!text.includes('secret-user-value'));
		await modern.close();
	});

	test('a command that cannot start: spawn failures by reason, a quarantine, a reload', async () => {
		const {config} = mcpd.supervisor;
		mcpd.supervisor.reload({...config, servers: [...config.servers, server('broken', {command: '/nonexistent/mcpd-metrics-test', crashLimit: 2})]});
		for (let i = 0; i < 3; i++) {
			const response = await fetch(mcpd.url('broken'), {
				method: 'POST',
				headers: {authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream'},
				body: JSON.stringify({
					jsonrpc: '2.0', id: 1, method: 'initialize', params: {protocolVersion: '2025-11-25', capabilities: {}, clientInfo: {name: 'x', version: '1'}},
				}),
			});
			await response.text();
		}

		const values = samples(await (await scrape()).text());
		assert.equal(values.get('mcpd_config_reloads_total'), 1);
		assert.equal(values.get('mcpd_quarantines_total{server="broken"}'), 1);
		assert.equal(values.get('mcpd_sessions_ended_total{server="broken",era="legacy",reason="spawn-failed"}'), 2);
	});
});
