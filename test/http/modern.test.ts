/**
 The 2026-07-28 front with real clients: `@modelcontextprotocol/client` 2.x
 pinned to the revision, in front of unchanged 2025-era stdio children.
 */
import assert from 'node:assert/strict';
import {after, before, describe, test} from 'node:test';
import {CONFORMANCE_FIXTURE, modernClient, server, startMcpd, testConfig, type Running} from '../helpers/mcpd.js';
import {assertNoNewChildren, descendants} from '../helpers/processes.js';
import {waitFor} from '../helpers/wait-for.js';

const text = (result: unknown) => ((result as {content: Array<{text: string}>}).content[0]).text;

describe('modern clients in front of 2025 children', () => {
	let mcpd: Running;
	let childrenBefore: number[];
	const refused: string[] = [];

	before(async () => {
		childrenBefore = descendants();
		mcpd = await startMcpd(testConfig([
			server('fx', {headerEnv: {'x-user-key': 'USER_KEY'}}),
			server('spread', {modernChildren: 2}),
			server('conf', {args: [CONFORMANCE_FIXTURE]}),
			server('race'),
			server('idle', {args: [CONFORMANCE_FIXTURE], idleTimeoutMs: 200}),
		]));
		mcpd.supervisor.events.on('unattributed', e => refused.push(e.method));
	});

	after(async () => {
		await mcpd.close();
		await assertNoNewChildren(childrenBefore);
	});

	const modernRows = (name: string) => mcpd.supervisor.sessions().filter(row => row.server === name && row.era === 'modern');

	test('a pinned client lists and calls tools through one shared child', async () => {
		const client = await modernClient(mcpd.url('fx'));
		assert.equal(client.getProtocolEra(), 'modern');
		const {tools} = await client.listTools();
		assert.ok(tools.some(tool => tool.name === 'echo'));
		assert.equal(text(await client.callTool({name: 'echo', arguments: {message: 'héllo'}})), 'héllo');
		const pid = text(await client.callTool({name: 'pid', arguments: {}}));
		assert.equal(text(await client.callTool({name: 'pid', arguments: {}})), pid, 'the same child serves both calls');
		const [row] = modernRows('fx');
		assert.equal(String(row.pid), pid);
		assert.equal(row.clientName, 'modern-test');
		assert.match(row.identity!, /^[\da-f]{8}$/);
		await client.close();
	});

	test('a dual-era client (versionNegotiation auto) probes with server/discover and gets the modern era', async () => {
		const {Client, StreamableHTTPClientTransport} = await import('@modelcontextprotocol/client');
		const client = new Client({name: 'auto-client', version: '1.0.0'}, {versionNegotiation: {mode: 'auto'}});
		await client.connect(new StreamableHTTPClientTransport(mcpd.url('fx')));
		assert.equal(client.getProtocolEra(), 'modern');
		assert.equal(text(await client.callTool({name: 'echo', arguments: {message: 'auto'}})), 'auto');
		await client.close();
	});

	test('identities: the same header values share a child, other values get their own, each sees only its key', async () => {
		const alice = await modernClient(mcpd.url('fx'), {headers: {'X-User-Key': 'sk-alice'}});
		const alice2 = await modernClient(mcpd.url('fx'), {headers: {'X-User-Key': 'sk-alice'}});
		const bob = await modernClient(mcpd.url('fx'), {headers: {'X-User-Key': 'sk-bob'}});
		const read = async (client: typeof alice) => JSON.parse(text(await client.callTool({name: 'env', arguments: {names: ['USER_KEY']}}))).USER_KEY as string;
		const pidOf = async (client: typeof alice) => text(await client.callTool({name: 'pid', arguments: {}}));
		assert.equal(await read(alice), 'sk-alice');
		assert.equal(await read(bob), 'sk-bob');
		assert.equal(await pidOf(alice), await pidOf(alice2));
		assert.notEqual(await pidOf(alice), await pidOf(bob));
		const status = await (await fetch(new URL('/status', mcpd.base))).text();
		assert.ok(!status.includes('sk-alice') && !status.includes('sk-bob'), 'identities are shown as hashes only');
		await Promise.all([alice.close(), alice2.close(), bob.close()]);
	});

	test('progress arrives on the request\'s own stream, with the client\'s token', async () => {
		const client = await modernClient(mcpd.url('fx'));
		const seen: number[] = [];
		const result = await client.callTool({name: 'progress', arguments: {steps: 3, delay_ms: 5}}, {onprogress: progress => seen.push(progress.progress)});
		assert.equal(text(result), 'done');
		assert.deepEqual(seen, [1, 2, 3]);
		await client.close();
	});

	test('sampling and roots asked by the child come back as input_required and are fulfilled', async () => {
		const client = await modernClient(mcpd.url('fx'), {capabilities: {sampling: {}, roots: {}}});
		client.setRequestHandler('sampling/createMessage', async request => ({
			role: 'assistant',
			model: 'test-model',
			content: {type: 'text', text: `echo of ${(request.params.messages[0].content as {text: string}).text}`},
		}));
		client.setRequestHandler('roots/list', async () => ({roots: [{uri: 'file:///work', name: 'work'}]}));
		assert.equal(text(await client.callTool({name: 'sample', arguments: {prompt: 'hi'}})), 'sampled: echo of hi');
		assert.deepEqual(JSON.parse(text(await client.callTool({name: 'roots', arguments: {}}))), [{uri: 'file:///work', name: 'work'}]);
		await client.close();
	});

	test('elicitation during tools/call and prompts/get, several inputs in one round, two rounds in turn', async () => {
		const client = await modernClient(mcpd.url('conf'), {capabilities: {elicitation: {}, sampling: {}, roots: {}}});
		const asked: string[] = [];
		client.setRequestHandler('elicitation/create', async request => {
			asked.push(request.params.message);
			const content: Record<string, string | boolean> = /colou?r/i.test(request.params.message) ? {color: 'blue'} : {name: 'Alice', context: 'ctx', ok: true};
			return {action: 'accept', content};
		});
		client.setRequestHandler('sampling/createMessage', async () => ({role: 'assistant', model: 'm', content: {type: 'text', text: 'Hello there!'}}));
		client.setRequestHandler('roots/list', async () => ({roots: [{uri: 'file:///test/root', name: 'Test Root'}]}));
		assert.equal(text(await client.callTool({name: 'test_input_required_result_elicitation', arguments: {}})), 'Hello, Alice!');
		assert.match(text(await client.callTool({name: 'test_input_required_result_multiple_inputs', arguments: {}})), /Name: Alice; greeting: Hello there!; roots: file:\/\/\/test\/root/);
		assert.equal(text(await client.callTool({name: 'test_input_required_result_multi_round', arguments: {}})), 'Alice likes blue');
		const prompt = await client.getPrompt({name: 'test_input_required_result_prompt', arguments: {}});
		assert.ok(prompt.messages.length > 0);
		assert.ok(asked.length >= 5);
		await client.close();
	});

	test('a capability the request did not declare is never asked for: the child is told no, the client gets -32021', async () => {
		const client = await modernClient(mcpd.url('conf'));
		await assert.rejects(client.callTool({name: 'test_missing_capability', arguments: {}}), (error: Error & {code?: number}) => {
			assert.equal(error.code, -32_021);
			return true;
		});
		await client.close();
	});

	test('two concurrent calls on one child, one eliciting: refused while unknown, then run one after the other', async () => {
		const client = await modernClient(mcpd.url('race'), {capabilities: {sampling: {}}});
		client.setRequestHandler('sampling/createMessage', async () => ({role: 'assistant', model: 'm', content: {type: 'text', text: 'ok'}}));
		// `sample` has never asked for input on this server: it runs beside `sleep`, and its request cannot be tied to it.
		const [slept, first] = await Promise.all([
			client.callTool({name: 'sleep', arguments: {ms: 300}}),
			(async () => {
				await new Promise(resolve => setTimeout(resolve, 50));
				return client.callTool({name: 'sample', arguments: {prompt: 'x'}});
			})(),
		]);
		assert.equal(text(slept), 'slept');
		assert.equal((first as {isError?: boolean}).isError, true);
		assert.match(text(first), /cannot be tied/);
		assert.deepEqual(refused, ['sampling/createMessage']);
		assert.equal(mcpd.supervisor.servers().find(entry => entry.name === 'race')!.unattributed, 1);
		// Now known to ask: it waits for a child of its own and is answered; the other call is unharmed.
		const [slept2, second] = await Promise.all([
			client.callTool({name: 'sleep', arguments: {ms: 300}}),
			(async () => {
				await new Promise(resolve => setTimeout(resolve, 50));
				return client.callTool({name: 'sample', arguments: {prompt: 'y'}});
			})(),
		]);
		assert.equal(text(slept2), 'slept');
		assert.equal(text(second), 'sampled: ok');
		assert.equal(refused.length, 1);
		assert.equal(modernRows('race').length, 1, 'both rounds ran on the one child');
		await client.close();
	});

	test('aborting a call closes its stream and cancels it in the child', async () => {
		const client = await modernClient(mcpd.url('fx'));
		const controller = new AbortController();
		const call = client.callTool({name: 'sleep', arguments: {ms: 5000}}, {signal: controller.signal});
		await waitFor(() => modernRows('fx').some(row => row.inFlight > 0));
		const row = modernRows('fx').find(candidate => candidate.inFlight > 0);
		assert.ok(row);
		controller.abort();
		await assert.rejects(call);
		await waitFor(() => mcpd.supervisor.stderrTail(row.id).some(line => line.line.includes('cancelled')));
		await client.close();
	});

	test('a listen stream receives the list change a call triggers', async () => {
		const client = await modernClient(mcpd.url('conf'));
		let changed = 0;
		client.setNotificationHandler('notifications/tools/list_changed', async () => {
			changed++;
		});
		const subscription = await client.listen({toolsListChanged: true});
		assert.equal(subscription.honoredFilter.toolsListChanged, true);
		await client.callTool({name: 'test_trigger_tool_change', arguments: {}});
		await waitFor(() => changed > 0);
		await subscription.close();
		await client.close();
	});

	test('a listen stream subscribes the child to a resource and receives its updates, and unsubscribes when closed', async () => {
		const client = await modernClient(mcpd.url('conf'));
		const updated: string[] = [];
		client.setNotificationHandler('notifications/resources/updated', async notification => {
			updated.push(notification.params.uri);
		});
		const subscription = await client.listen({resourceSubscriptions: ['test://watched-resource']});
		assert.deepEqual(subscription.honoredFilter.resourceSubscriptions, ['test://watched-resource']);
		assert.equal(text(await client.callTool({name: 'test_touch_resource', arguments: {uri: 'test://watched-resource'}})), 'Sent notifications/resources/updated for test://watched-resource');
		await waitFor(() => updated.length > 0);
		assert.deepEqual(updated, ['test://watched-resource']);
		await subscription.close();
		await waitFor(async () => text(await client.callTool({name: 'test_touch_resource', arguments: {uri: 'test://watched-resource'}})).startsWith('Not subscribed'));
		await client.close();
	});

	test('modern_children spreads one identity\'s concurrent calls over that many children, no more', async () => {
		const client = await modernClient(mcpd.url('spread'));
		await Promise.all([1, 2, 3, 4].map(async () => client.callTool({name: 'sleep', arguments: {ms: 200}})));
		const rows = modernRows('spread');
		assert.equal(rows.length, 2);
		assert.ok(rows.every(row => row.requests >= 1), JSON.stringify(rows.map(row => row.requests)));
		await client.close();
	});

	test('a 2025 client works beside modern ones on the same URL', async () => {
		const legacy = await mcpd.client('fx');
		const modern = await modernClient(mcpd.url('fx'));
		const [a, b] = await Promise.all([
			legacy.client.callTool({name: 'echo', arguments: {message: 'old'}}),
			modern.callTool({name: 'echo', arguments: {message: 'new'}}),
		]);
		assert.equal(text(a), 'old');
		assert.equal(text(b), 'new');
		assert.ok(mcpd.supervisor.sessions().some(row => row.era === 'legacy' && row.server === 'fx'));
		await modern.close();
	});

	test('an idle modern child is reaped; an open listen stream holds it; the next request starts a fresh one', async () => {
		const client = await modernClient(mcpd.url('idle'));
		await client.callTool({name: 'test_simple_text', arguments: {}});
		const [first] = modernRows('idle');
		const subscription = await client.listen({toolsListChanged: true});
		await new Promise(resolve => setTimeout(resolve, 600));
		assert.equal(modernRows('idle')[0]?.id, first.id, 'a listen stream is activity');
		await subscription.close();
		await waitFor(() => modernRows('idle').length === 0);
		await client.callTool({name: 'test_simple_text', arguments: {}});
		assert.notEqual(modernRows('idle')[0].id, first.id);
		await client.close();
	});

	test('killing a modern child: the identity\'s next request gets a fresh one', async () => {
		const client = await modernClient(mcpd.url('fx'), {headers: {'X-User-Key': 'kill-me'}});
		const before = text(await client.callTool({name: 'pid', arguments: {}}));
		const row = modernRows('fx').find(candidate => String(candidate.pid) === before)!;
		assert.equal(await mcpd.supervisor.kill(row.id), 'killed');
		const after = text(await client.callTool({name: 'pid', arguments: {}}));
		assert.notEqual(after, before);
		await client.close();
	});
});
