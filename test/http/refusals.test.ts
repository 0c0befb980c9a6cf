/**
 What is refused before any route runs (by Node's HTTP parser or fastify's
 router) still gets a JSON-RPC error body and the right status, over real
 sockets.
 */
import assert from 'node:assert/strict';
import {after, before, describe, test} from 'node:test';
import {server, startMcpd, testConfig, type Running} from '../helpers/mcpd.js';
import {assertNoNewChildren, descendants} from '../helpers/processes.js';
import {RawClient, type RawResponse} from '../helpers/raw-http.js';

const ACCEPT = 'application/json, text/event-stream';
const LONG_NAME = 'l'.repeat(150);
const init = {
	jsonrpc: '2.0', id: 1, method: 'initialize', params: {protocolVersion: '2025-11-25', capabilities: {}, clientInfo: {name: 'raw', version: '1'}},
};

const assertRpcError = (response: RawResponse, status: number, pattern: RegExp) => {
	assert.equal(response.status, status, response.body);
	assert.match(response.headers['content-type'], /^application\/json/);
	assert.deepEqual(Object.keys(response.json ?? {}), ['jsonrpc', 'error'], response.body);
	assert.equal(response.json.jsonrpc, '2.0');
	assert.equal(response.json.error.code, -32_600);
	assert.match(response.json.error.message, pattern);
};

describe('refusals before routing', () => {
	let mcpd: Running;
	let childrenBefore: number[];

	before(async () => {
		childrenBefore = descendants();
		mcpd = await startMcpd(testConfig([server('fx'), server(LONG_NAME)]));
	});

	after(async () => {
		await mcpd.close();
		await assertNoNewChildren(childrenBefore);
	});

	const stillServing = async () => {
		assert.equal((await fetch(new URL('/healthz', mcpd.base))).status, 200);
	};

	test('headers or a URL over Node\'s header limit → 431 with a JSON-RPC error, then the connection is closed', async () => {
		for (const request of [
			`GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
			`POST /servers/fx/mcp?${'q'.repeat(20_000)} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`,
		]) {
			const client = await RawClient.open(mcpd.base);
			client.write(request);
			assertRpcError(await client.response(), 431, /^Request Header Fields Too Large: the request line and headers exceed 16384 bytes$/);
			await client.closed;
		}

		await stillServing();
	});

	test('a malformed request line → 400 with a JSON-RPC error, then the connection is closed', async () => {
		const client = await RawClient.open(mcpd.base);
		client.write('NOT HTTP AT ALL\r\n\r\n');
		assertRpcError(await client.response(), 400, /^Bad Request: malformed HTTP request \(HPE_/);
		await client.closed;
		await stillServing();
	});

	test('a badly percent-encoded path → 400 with a JSON-RPC error; the connection stays usable', async () => {
		const client = await RawClient.open(mcpd.base);
		try {
			assertRpcError(await client.get('/servers/%E0%A4%A/mcp', {accept: 'text/event-stream'}), 400, /^Bad Request: the URL path is not valid percent-encoding$/);
			const body = JSON.stringify(init);
			client.write(`POST /servers/%E0%A4%A/mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nAccept: ${ACCEPT}\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
			assertRpcError(await client.response(), 400, /percent-encoding/);
			assert.equal((await client.get('/healthz')).status, 200);
		} finally {
			client.close();
		}

		assert.equal(mcpd.supervisor.sessions().length, 0);
	});

	test('a server name longer than any configured → 414 with a JSON-RPC error; the longest configured name is served', async () => {
		const post = async (name: string) => fetch(new URL(`/servers/${name}/mcp`, mcpd.base), {method: 'POST', headers: {'content-type': 'application/json', accept: ACCEPT}, body: JSON.stringify(init)});
		const refused = await post('a'.repeat(151));
		assert.equal(refused.status, 414);
		assert.deepEqual(await refused.json(), {jsonrpc: '2.0', error: {code: -32_600, message: 'URI Too Long: a server name in the path has at most 150 characters'}});
		const served = await post(LONG_NAME);
		assert.equal(served.status, 200);
		assert.equal((await served.json() as {result: {serverInfo: {name: string}}}).result.serverInfo.name, 'fixture');
	});
});
