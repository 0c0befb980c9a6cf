/**
 The proxy end to end: the SDK's real Client over real HTTP against mcpd,
 fronting real stdio children (our fixture server).
 */
import assert from 'node:assert/strict';
import {after, before, describe, test} from 'node:test';
import {type StreamableHTTPClientTransport, StreamableHTTPError} from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import {CallToolResultSchema, CreateMessageRequestSchema, ListRootsRequestSchema, LoggingMessageNotificationSchema, McpError, ToolListChangedNotificationSchema} from '@modelcontextprotocol/sdk/types.js';
import {startMcpd, server, testConfig, mcpdForSuite} from '../helpers/mcpd.js';
import {assertNoNewChildren, descendants, isAlive} from '../helpers/processes.js';
import {waitFor} from '../helpers/wait-for.js';

const text = (result: unknown) => ((result as {content: Array<{text: string}>}).content[0]).text;

describe('mcpd over Streamable HTTP with the SDK client', () => {
	const mcpd = mcpdForSuite(() => testConfig([
		server('fx'),
		server('short', {requestTimeoutMs: 400, requestTimeoutMaxMs: 1500}),
		server('grace', {args: [server('x').args[0], '--ignore-term', '--ignore-eof']}),
	], {sessions: {killGraceMs: 300}}));

	test('initialize, tools/list and tools/call go through, and the session shows up', async () => {
		const {client, transport} = await mcpd.client('fx', {name: 'e2e'});
		assert.match(transport.sessionId ?? '', /^[\d\-a-f]{36}$/);
		assert.equal(client.getServerVersion()?.name, 'fixture');
		const {tools} = await client.listTools();
		assert.ok(tools.some(tool => tool.name === 'echo'));
		assert.equal(text(await client.callTool({name: 'echo', arguments: {message: 'héllo'}})), 'héllo');
		const info = mcpd.supervisor.sessions().find(session => session.id === transport.sessionId);
		assert.equal(info?.clientName, 'e2e');
		assert.equal(info?.state, 'live');
		assert.equal(info?.requests, 3); // Initialize, tools/list, tools/call
		await client.close();
	});

	test('progress reaches onprogress and logs reach the notification handler', async () => {
		const {client} = await mcpd.client('fx');
		const logs: unknown[] = [];
		client.setNotificationHandler(LoggingMessageNotificationSchema, notification => {
			logs.push(notification.params.data);
		});
		const progress: number[] = [];
		const result = await client.callTool({name: 'progress', arguments: {steps: 4, delay_ms: 5}}, CallToolResultSchema, {
			onprogress(update) {
				progress.push(update.progress);
			},
		});
		assert.equal(text(result), 'done');
		assert.deepEqual(progress, [1, 2, 3, 4]);
		assert.deepEqual(logs, ['step 1', 'step 2', 'step 3', 'step 4']);
	});

	test('server requests (sampling, roots, ping) are answered by the client and the answers reach the child', async () => {
		const {client} = await mcpd.client('fx');
		client.setRequestHandler(CreateMessageRequestSchema, async request => ({
			model: 'test-model',
			role: 'assistant',
			content: {type: 'text', text: `answer to ${(request.params.messages[0].content as {text: string}).text}`},
		}));
		client.setRequestHandler(ListRootsRequestSchema, async () => ({roots: [{uri: 'file:///tmp/root', name: 'root'}]}));
		assert.match(text(await client.callTool({name: 'sample', arguments: {prompt: 'why?'}})), /^sampled: answer to .*why\?/);
		assert.match(text(await client.callTool({name: 'roots', arguments: {}})), /file:\/\/\/tmp\/root/);
		// The child's own ping is answered by mcpd itself.
		assert.equal(text(await client.callTool({name: 'ping_client', arguments: {}})), 'pong');
	});

	test('list_changed goes to the GET stream', async () => {
		const {client} = await mcpd.client('fx');
		let changed = 0;
		client.setNotificationHandler(ToolListChangedNotificationSchema, () => {
			changed++;
		});
		// The SDK opens the GET stream after initialize; give it a moment to be adopted.
		const sessionId = (client.transport as StreamableHTTPClientTransport).sessionId!;
		await waitFor(() => mcpd.supervisor.get(sessionId)!.streams === 1, {message: 'GET stream open'});
		await client.callTool({name: 'list_changed', arguments: {}});
		await waitFor(() => changed === 1, {message: 'list_changed delivered'});
	});

	test('DELETE ends the session and its process; the id is then 404', async () => {
		const {client, transport} = await mcpd.client('fx');
		const pid = Number(text(await client.callTool({name: 'pid', arguments: {}})));
		assert.ok(isAlive(pid));
		const sessionId = transport.sessionId!;
		await transport.terminateSession();
		assert.equal(isAlive(pid), false, 'the child is reaped by the time DELETE answers');
		const response = await fetch(mcpd.url('fx'), {
			method: 'POST',
			headers: {'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-session-id': sessionId},
			body: JSON.stringify({jsonrpc: '2.0', id: 9, method: 'tools/list'}),
		});
		assert.equal(response.status, 404);
		assert.equal((await response.json() as {error: {code: number}}).error.code, -32_002);
	});

	test('a client that meets 404 can start over with a new session', async () => {
		const {client, transport} = await mcpd.client('fx');
		await mcpd.supervisor.kill(transport.sessionId!);
		await assert.rejects(client.listTools(), (error: unknown) => error instanceof StreamableHTTPError && error.code === 404);
		const fresh = await mcpd.client('fx');
		assert.equal(text(await fresh.client.callTool({name: 'echo', arguments: {message: 'again'}})), 'again');
	});

	test('a crash mid-call fails the call with the stderr tail, and other sessions carry on', async () => {
		const bystander = await mcpd.client('fx');
		const {client, transport} = await mcpd.client('fx');
		const error = await client.callTool({name: 'crash', arguments: {code: 7, stderr: ['Traceback (most recent call last):', 'ValueError: boom']}}).catch((error_: unknown) => error_);
		assert.ok(error instanceof McpError, String(error));
		assert.match(error.message, /exited \(exit code 7\)/);
		const data = error.data as {stderr: string[]; exitCode: number};
		assert.equal(data.exitCode, 7);
		assert.deepEqual(data.stderr.slice(-2), ['Traceback (most recent call last):', 'ValueError: boom']);
		await waitFor(() => mcpd.supervisor.get(transport.sessionId!) === undefined, {message: 'crashed session removed'});
		assert.equal(mcpd.supervisor.servers().find(entry => entry.name === 'fx')?.crashes, 1);
		assert.equal(text(await bystander.client.callTool({name: 'echo', arguments: {message: 'still here'}})), 'still here');
	});

	test('a request past request_timeout gets -32001 and the child is told to cancel it', async () => {
		const {client, transport} = await mcpd.client('short');
		const started = Date.now();
		const error = await client.callTool({name: 'sleep', arguments: {ms: 5000}}, CallToolResultSchema, {timeout: 10_000}).catch((error_: unknown) => error_);
		assert.ok(error instanceof McpError);
		assert.equal(error.code, -32_001);
		assert.match(error.message, /timed out after 0\.4 s/);
		assert.ok(Date.now() - started < 3000);
		await waitFor(() => mcpd.supervisor.stderrTail(transport.sessionId!).some(entry => entry.line.startsWith('fixture: cancelled ')), {message: 'child saw notifications/cancelled'});
	});

	test('progress keeps a slow request alive past request_timeout, up to request_timeout_max', async () => {
		const {client} = await mcpd.client('short');
		// 8 steps x 150 ms = 1.2 s: three times the 0.4 s timeout, under the 1.5 s cap.
		const result = await client.callTool({name: 'progress', arguments: {steps: 8, delay_ms: 150}}, CallToolResultSchema, {onprogress() {}});
		assert.equal(text(result), 'done');
		// 20 x 150 ms = 3 s goes past the cap even though progress keeps coming.
		const error = await client.callTool({name: 'progress', arguments: {steps: 20, delay_ms: 150}}, CallToolResultSchema, {onprogress() {}, timeout: 10_000}).catch((error_: unknown) => error_);
		assert.ok(error instanceof McpError);
		assert.equal(error.code, -32_001);
	});

	test('a client cancel reaches the child', async () => {
		const {client, transport} = await mcpd.client('fx');
		const controller = new AbortController();
		const call = client.callTool({name: 'sleep', arguments: {ms: 10_000}}, CallToolResultSchema, {signal: controller.signal});
		await waitFor(() => mcpd.supervisor.get(transport.sessionId!)?.inFlight === 1, {message: 'call in flight'});
		controller.abort('user cancelled');
		await assert.rejects(call);
		await waitFor(() => mcpd.supervisor.stderrTail(transport.sessionId!).some(entry => entry.line.startsWith('fixture: cancelled ')), {message: 'child saw the cancel'});
		assert.equal(mcpd.supervisor.get(transport.sessionId!)?.inFlight, 0);
	});

	test('a child that ignores SIGTERM is SIGKILLed after kill_grace', async () => {
		const {client, transport} = await mcpd.client('grace');
		const pid = Number(text(await client.callTool({name: 'pid', arguments: {}})));
		const started = Date.now();
		await transport.terminateSession();
		const took = Date.now() - started;
		assert.equal(isAlive(pid), false);
		assert.ok(took >= 250, `took ${took} ms: the grace period was honoured`);
	});

	test('non-JSON stdout is skipped and reported, never fatal', async () => {
		const noise: string[] = [];
		const listener = ({line}: {line: string}) => noise.push(line);
		mcpd.supervisor.events.on('stdout-noise', listener);
		try {
			const {client} = await mcpd.client('fx');
			assert.equal(text(await client.callTool({name: 'noise', arguments: {text: 'DEBUG: hello from print()'}})), 'ok');
			assert.equal(text(await client.callTool({name: 'echo', arguments: {message: 'after'}})), 'after');
			assert.deepEqual(noise, ['DEBUG: hello from print()']);
		} finally {
			mcpd.supervisor.events.off('stdout-noise', listener);
		}
	});

	test('stderr lines are kept per session and emitted as events', async () => {
		const {client, transport} = await mcpd.client('fx');
		await client.callTool({name: 'stderr', arguments: {lines: ['one', 'two']}});
		const lines = mcpd.supervisor.stderrTail(transport.sessionId!).map(entry => entry.line);
		assert.match(lines[0], /^fixture: started pid=\d+$/);
		assert.deepEqual(lines.slice(-2), ['one', 'two']);
	});

	test('a session survives an idle gap longer than Node\'s default keep-alive (5 s)', async () => {
		const {client} = await mcpd.client('fx');
		await client.callTool({name: 'echo', arguments: {message: 'before'}});
		await new Promise(resolve => setTimeout(resolve, 6000));
		assert.equal(text(await client.callTool({name: 'echo', arguments: {message: 'after the gap'}})), 'after the gap');
	});
});

describe('session limits and reaping', () => {
	let childrenBefore: number[];
	before(() => {
		childrenBefore = descendants();
	});
	after(async () => {
		await assertNoNewChildren(childrenBefore);
	});

	test('idle sessions are reaped, and their process with them', async () => {
		const childrenBefore = descendants();
		const mcpd = await startMcpd(testConfig([server('fx', {idleTimeoutMs: 300})]));
		try {
			const {client, transport} = await mcpd.client('fx');
			const pid = Number(text(await client.callTool({name: 'pid', arguments: {}})));
			// The SDK keeps a GET stream open, which holds idle reaping off: close it like a client that went away.
			await transport.close();
			await waitFor(() => !isAlive(pid), {timeout: 3000, message: 'idle child reaped'});
			// A zombie already counts as gone, but the session ends on the child's
			// exit event, which comes once Node has reaped it: a moment later.
			await waitFor(() => mcpd.supervisor.sessions().length === 0, {timeout: 1000, message: 'the reaped session to be dropped'});
		} finally {
			await mcpd.close();
		}

		await assertNoNewChildren(childrenBefore);
	});

	test('max_age ends a session even while its GET stream is open', async () => {
		const mcpd = await startMcpd(testConfig([server('fx')], {sessions: {maxAgeMs: 400}}));
		try {
			const {client, transport} = await mcpd.client('fx');
			const pid = Number(text(await client.callTool({name: 'pid', arguments: {}})));
			await waitFor(() => mcpd.supervisor.get(transport.sessionId!)?.streams === 1, {message: 'GET stream open'});
			await waitFor(() => !isAlive(pid), {timeout: 3000, message: 'old session reaped'});
		} finally {
			await mcpd.close();
		}
	});

	test('a request in flight holds idle reaping off', async () => {
		const mcpd = await startMcpd(testConfig([server('fx', {idleTimeoutMs: 200})]));
		try {
			const {client} = await mcpd.client('fx');
			assert.equal(text(await client.callTool({name: 'sleep', arguments: {ms: 800}})), 'slept');
		} finally {
			await mcpd.close();
		}
	});

	test('max_sessions and max_total answer 503 with Retry-After', async () => {
		const mcpd = await startMcpd(testConfig([server('one', {maxSessions: 1}), server('two')], {sessions: {maxTotal: 2}}));
		try {
			await mcpd.client('one');
			await assert.rejects(mcpd.client('one'), /503|maximum of 1 sessions/);
			await mcpd.client('two');
			const response = await fetch(mcpd.url('two'), {
				method: 'POST',
				headers: {'content-type': 'application/json', accept: 'application/json, text/event-stream'},
				body: JSON.stringify({
					jsonrpc: '2.0', id: 1, method: 'initialize', params: {protocolVersion: '2025-11-25', capabilities: {}, clientInfo: {name: 'x', version: '1'}},
				}),
			});
			assert.equal(response.status, 503);
			assert.equal(response.headers.get('retry-after'), '5');
			assert.match((await response.json() as {error: {message: string}}).error.message, /maximum of 2 sessions/);
		} finally {
			await mcpd.close();
		}
	});

	test('shutdown ends every child', async () => {
		const childrenBefore = descendants();
		const mcpd = await startMcpd(testConfig([server('fx')]));
		const pids: number[] = [];
		for (let i = 0; i < 3; i++) {
			const {client} = await mcpd.client('fx');
			pids.push(Number(text(await client.callTool({name: 'pid', arguments: {}}))));
		}

		assert.ok(pids.every(pid => isAlive(pid)));
		await mcpd.close();
		assert.ok(pids.every(pid => !isAlive(pid)));
		await assertNoNewChildren(childrenBefore);
	});
});

