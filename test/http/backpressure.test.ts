/**
 Clients that stop reading: mcpd's memory stays bounded whatever the child
 writes, other sessions keep answering, and the stuck stream is closed.
 */
import assert from 'node:assert/strict';
import {connect, type Socket} from 'node:net';
import {after, before, describe, test} from 'node:test';
import {setTimeout as sleep} from 'node:timers/promises';
import {modernClient, server, startMcpd, testConfig, type Running} from '../helpers/mcpd.js';
import {assertNoNewChildren, descendants} from '../helpers/processes.js';
import {waitFor} from '../helpers/wait-for.js';

const MiB = 1024 * 1024;
const ACCEPT = 'application/json, text/event-stream';

describe('clients that stop reading', () => {
	let mcpd: Running;
	let childrenBefore: number[];
	const warnings: string[] = [];

	before(async () => {
		childrenBefore = descendants();
		mcpd = await startMcpd(testConfig([server('fx'), server('keyed', {headerEnv: {'x-user': 'USER'}})], {sessions: {maxBuffered: MiB, stallTimeoutMs: 3000}}));
		mcpd.supervisor.events.on('log', entry => {
			if (entry.level === 'warn') {
				warnings.push(entry.message);
			}
		});
	});

	after(async () => {
		await mcpd.close();
		await assertNoNewChildren(childrenBefore);
	});

	/**
	A session opened over fetch, for raw requests later.
	*/
	async function openSession(): Promise<string> {
		const headers = {'content-type': 'application/json', accept: ACCEPT};
		const init = await fetch(mcpd.url('fx'), {
			method: 'POST', headers, body: JSON.stringify({
				jsonrpc: '2.0', id: 1, method: 'initialize', params: {protocolVersion: '2025-11-25', capabilities: {}, clientInfo: {name: 'slow', version: '1'}},
			}),
		});
		const id = init.headers.get('mcp-session-id')!;
		await init.text();
		await (await fetch(mcpd.url('fx'), {method: 'POST', headers: {...headers, 'mcp-session-id': id}, body: '{"jsonrpc":"2.0","method":"notifications/initialized"}'})).text();
		return id;
	}

	/**
	Sends one HTTP request on a raw socket and never reads the answer.
	*/
	async function sendAndStopReading(method: string, headers: Record<string, string>, body?: unknown, path = '/servers/fx/mcp'): Promise<Socket> {
		const socket = connect(Number(new URL(mcpd.base).port), '127.0.0.1');
		await new Promise(resolve => socket.once('connect', resolve));
		socket.pause();
		const text = body === undefined ? '' : JSON.stringify(body);
		const lines = Object.entries({
			Host: '127.0.0.1', Accept: method === 'GET' ? 'text/event-stream' : ACCEPT, 'Content-Type': 'application/json', ...headers, 'Content-Length': String(Buffer.byteLength(text)),
		}).map(([name, value]) => `${name}: ${value}\r\n`);
		socket.write(`${method} ${path} HTTP/1.1\r\n${lines.join('')}\r\n${text}`);
		return socket;
	}

	const stderrOf = (sessionId: string) => mcpd.supervisor.stderrTail(sessionId).map(line => line.line);
	const flood = (id: number, token?: string) => ({
		jsonrpc: '2.0', id, method: 'tools/call', params: {name: 'flood', arguments: {count: 1000, bytes: 100_000}, ...(token !== undefined && {_meta: {progressToken: token}})},
	});

	test('an answer stream nobody reads holds its child: 100 MB of progress does not grow mcpd, others answer, the stream is closed after stall_timeout', async () => {
		const session = await openSession();
		const rssBefore = process.memoryUsage().rss;
		const socket = await sendAndStopReading('POST', {'Mcp-Session-Id': session}, flood(2, 'p'));
		await sleep(1500);
		const growth = process.memoryUsage().rss - rssBefore;
		assert.ok(growth < 48 * MiB, `mcpd grew by ${Math.round(growth / MiB)} MiB`);
		assert.ok(!stderrOf(session).includes('flood done'), 'the child is held, not finished');
		// Another session of the same server answers at once.
		const {client} = await mcpd.client('fx');
		const started = performance.now();
		assert.deepEqual((await client.callTool({name: 'echo', arguments: {message: 'still here'}})).content, [{type: 'text', text: 'still here'}]);
		assert.ok(performance.now() - started < 1000);
		await waitFor(() => warnings.includes('answer stream closed: the client stopped reading it'), {timeout: 5000});
		// Released, the child finishes its flood; what it still sends has nowhere to go.
		await waitFor(() => stderrOf(session).includes('flood done'), {timeout: 10_000});
		socket.destroy();
	});

	test('a GET stream nobody reads is closed past max_buffered and never holds the child', async () => {
		const session = await openSession();
		const socket = await sendAndStopReading('GET', {'Mcp-Session-Id': session});
		await waitFor(() => mcpd.supervisor.sessions().find(row => row.id === session) !== undefined);
		await sleep(100);
		const rssBefore = process.memoryUsage().rss;
		const {client} = await mcpd.client('fx');
		// The flood's notifications name no request of this client: they go to the session's GET stream.
		const reply = await fetch(mcpd.url('fx'), {method: 'POST', headers: {'content-type': 'application/json', accept: ACCEPT, 'mcp-session-id': session}, body: JSON.stringify(flood(3))});
		assert.equal(reply.status, 200);
		assert.match(await reply.text(), /flooded/);
		assert.ok(stderrOf(session).includes('flood done'));
		assert.ok(warnings.includes('GET stream closed: the client is not reading it'));
		const growth = process.memoryUsage().rss - rssBefore;
		assert.ok(growth < 48 * MiB, `mcpd grew by ${Math.round(growth / MiB)} MiB`);
		assert.deepEqual((await client.callTool({name: 'echo', arguments: {message: 'ok'}})).content, [{type: 'text', text: 'ok'}]);
		socket.destroy();
	});
	test('a modern client that stops reading holds only its identity\'s child; another identity answers at once', async () => {
		warnings.length = 0;
		const body = {...flood(4, 'm'), params: {...flood(4, 'm').params, _meta: {progressToken: 'm', 'io.modelcontextprotocol/protocolVersion': '2026-07-28', 'io.modelcontextprotocol/clientCapabilities': {}}}};
		const rssBefore = process.memoryUsage().rss;
		const socket = await sendAndStopReading('POST', {
			'MCP-Protocol-Version': '2026-07-28', 'Mcp-Method': 'tools/call', 'Mcp-Name': 'flood', 'X-User': 'slow-reader',
		}, body, '/servers/keyed/mcp');
		await sleep(1500);
		const growth = process.memoryUsage().rss - rssBefore;
		assert.ok(growth < 48 * MiB, `mcpd grew by ${Math.round(growth / MiB)} MiB`);
		const slow = mcpd.supervisor.sessions().find(row => row.server === 'keyed' && row.era === 'modern')!;
		assert.ok(!stderrOf(slow.id).includes('flood done'), 'the child is held, not finished');
		const other = await modernClient(mcpd.url('keyed'), {headers: {'X-User': 'reader'}});
		const started = performance.now();
		assert.deepEqual((await other.callTool({name: 'echo', arguments: {message: 'fine'}})).content, [{type: 'text', text: 'fine'}]);
		assert.ok(performance.now() - started < 1000);
		await waitFor(() => warnings.includes('answer stream closed: the client stopped reading it'), {timeout: 5000});
		// The closed stream cancelled the call in the child.
		await waitFor(() => stderrOf(slow.id).some(line => line.includes('cancelled')), {timeout: 5000});
		await other.close();
		socket.destroy();
	});
});
