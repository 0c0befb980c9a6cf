/**
 Status codes and JSON-RPC error bodies for everything a client can get wrong,
 over raw HTTP (fetch), against a listening mcpd with real children.
 */
import assert from 'node:assert/strict';
import {request as httpRequest} from 'node:http';
import {after, before, describe, test} from 'node:test';
import {startMcpd, server, testConfig, type Running} from '../helpers/mcpd.js';
import {fetchReply, type Reply} from '../helpers/http.js';
import {assertNoNewChildren, descendants} from '../helpers/processes.js';

const ACCEPT = 'application/json, text/event-stream';
const init = (id: number | string = 1, protocolVersion = '2025-11-25') => ({
	jsonrpc: '2.0', id, method: 'initialize', params: {protocolVersion, capabilities: {}, clientInfo: {name: 'raw', version: '1'}},
});

describe('HTTP protocol surface', () => {
	let mcpd: Running;
	let childrenBefore: number[];

	before(async () => {
		childrenBefore = descendants();
		mcpd = await startMcpd(testConfig([server('fx'), server('other')], {http: {maxBody: 4096}}));
	});

	after(async () => {
		await mcpd.close();
		await assertNoNewChildren(childrenBefore);
	});

	const call = async (path: string, init: RequestInit = {}) => fetchReply(mcpd.base, path, init);

	const post = async (path: string, body: unknown, headers: Record<string, string> = {}) => call(path, {
		method: 'POST',
		headers: {'content-type': 'application/json', accept: ACCEPT, ...headers},
		body: typeof body === 'string' ? body : JSON.stringify(body),
	});

	async function open(protocolVersion = '2025-11-25'): Promise<string> {
		const reply = await post('/servers/fx/mcp', init(1, protocolVersion));
		assert.equal(reply.status, 200, reply.text);
		assert.equal(reply.headers.get('content-type'), 'application/json');
		const id = reply.headers.get('mcp-session-id');
		assert.ok(id);
		assert.equal((await post('/servers/fx/mcp', {jsonrpc: '2.0', method: 'notifications/initialized'}, {'mcp-session-id': id})).status, 202);
		return id;
	}

	const assertRpcError = (reply: Reply, status: number, code: number, pattern: RegExp) => {
		assert.equal(reply.status, status, reply.text);
		assert.equal(reply.body?.jsonrpc, '2.0');
		assert.equal(reply.body?.error?.code, code);
		assert.match(reply.body?.error?.message, pattern);
	};

	test('initialize answers with the child\'s own result and a session id', async () => {
		const reply = await post('/servers/fx/mcp', init(7));
		assert.equal(reply.body.id, 7);
		assert.equal(reply.body.result.serverInfo.name, 'fixture');
		assert.equal(reply.body.result.protocolVersion, '2025-11-25');
		assert.match(reply.headers.get('mcp-session-id') ?? '', /^[\d\-a-f]{36}$/);
	});

	test('/mcp serves the only server or the one named default; else 404 naming the servers', async () => {
		assertRpcError(await post('/mcp', init()), 404, -32_600, /servers: fx, other/);
	});

	test('unknown server → 404 with a JSON-RPC error body', async () => {
		assertRpcError(await post('/servers/nope/mcp', init()), 404, -32_600, /no server named "nope"/);
	});

	test('a request without a session id → 400; an unknown one → 404', async () => {
		assertRpcError(await post('/servers/fx/mcp', {jsonrpc: '2.0', id: 2, method: 'tools/list'}), 400, -32_600, /Mcp-Session-Id/);
		assertRpcError(await post('/servers/fx/mcp', {jsonrpc: '2.0', id: 2, method: 'tools/list'}, {'mcp-session-id': 'f00'}), 404, -32_002, /Session not found/);
	});

	test('a session id is only valid on its own server', async () => {
		const id = await open();
		assertRpcError(await post('/servers/other/mcp', {jsonrpc: '2.0', id: 2, method: 'tools/list'}, {'mcp-session-id': id}), 404, -32_002, /Session not found/);
	});

	test('initialize on a live session → 400', async () => {
		const id = await open();
		assertRpcError(await post('/servers/fx/mcp', init(3), {'mcp-session-id': id}), 400, -32_600, /without Mcp-Session-Id/);
	});

	test('notifications and responses → 202 with no body', async () => {
		const id = await open();
		const reply = await post('/servers/fx/mcp', {jsonrpc: '2.0', method: 'notifications/roots/list_changed'}, {'mcp-session-id': id});
		assert.equal(reply.status, 202);
		assert.equal(reply.text, '');
	});

	test('a request is answered as JSON when nothing comes before the response', async () => {
		const id = await open();
		const reply = await post('/servers/fx/mcp', {
			jsonrpc: '2.0', id: 'a', method: 'tools/call', params: {name: 'echo', arguments: {message: 'x'}},
		}, {'mcp-session-id': id});
		assert.equal(reply.headers.get('content-type'), 'application/json');
		assert.deepEqual(reply.body, {jsonrpc: '2.0', id: 'a', result: {content: [{type: 'text', text: 'x'}]}});
	});

	test('a request with notifications before its response is answered as SSE, in order', async () => {
		const id = await open();
		const reply = await post('/servers/fx/mcp', {
			jsonrpc: '2.0', id: 5, method: 'tools/call', params: {name: 'progress', arguments: {steps: 2, delay_ms: 1}, _meta: {progressToken: 'p'}},
		}, {'mcp-session-id': id});
		assert.equal(reply.headers.get('content-type'), 'text/event-stream');
		const events = reply.text.split('\n\n').filter(Boolean).map(block => JSON.parse(block.split('\n').find(line => line.startsWith('data: '))!.slice(6)));
		assert.deepEqual(events.map(event => event.method ?? `response ${event.id}`), [
			'notifications/progress', 'notifications/message', 'notifications/progress', 'notifications/message', 'response 5',
		]);
		assert.equal(events[0].params.progressToken, 'p');
	});

	test('the GET stream: 406 without text/event-stream, 409 for a second one, 405 without a session', async () => {
		const id = await open();
		assertRpcError(await call('/servers/fx/mcp', {headers: {accept: 'application/json', 'mcp-session-id': id}}), 406, -32_600, /text\/event-stream/);
		assertRpcError(await call('/servers/fx/mcp', {headers: {accept: 'text/event-stream'}}), 405, -32_600, /Mcp-Session-Id/);
		const controller = new AbortController();
		const first = await fetch(new URL('/servers/fx/mcp', mcpd.base), {headers: {accept: 'text/event-stream', 'mcp-session-id': id}, signal: controller.signal});
		assert.equal(first.status, 200);
		assert.equal(first.headers.get('content-type'), 'text/event-stream');
		assertRpcError(await call('/servers/fx/mcp', {headers: {accept: 'text/event-stream', 'mcp-session-id': id}}), 409, -32_600, /already has an open GET stream/);
		controller.abort();
	});

	test('HEAD answers as GET would, without opening a stream: the client\'s real GET still gets the session\'s stream', async () => {
		const id = await open();
		const head = async (headers: Record<string, string>) => {
			const response = await fetch(new URL('/servers/fx/mcp', mcpd.base), {method: 'HEAD', headers});
			assert.equal(await response.text(), '');
			return response;
		};

		for (let probe = 0; probe < 2; probe++) {
			const response = await head({accept: 'text/event-stream', 'mcp-session-id': id});
			assert.equal(response.status, 200);
			assert.equal(response.headers.get('content-type'), 'text/event-stream');
		}

		assert.equal((await head({accept: 'text/event-stream'})).status, 405);
		assert.equal((await head({accept: 'text/event-stream', 'mcp-session-id': 'f00'})).status, 404);
		const controller = new AbortController();
		const stream = await fetch(new URL('/servers/fx/mcp', mcpd.base), {headers: {accept: 'text/event-stream', 'mcp-session-id': id}, signal: controller.signal});
		assert.equal(stream.status, 200);
		// The stream is really the session's: a message with no request to go with arrives on it.
		const reader = stream.body!.getReader();
		await post('/servers/fx/mcp', {
			jsonrpc: '2.0', id: 'lc', method: 'tools/call', params: {name: 'list_changed', arguments: {}},
		}, {'mcp-session-id': id});
		let seen = '';
		while (!seen.includes('notifications/tools/list_changed')) {
			const {done, value} = await reader.read();
			assert.ok(!done, `the GET stream ended early: ${seen}`);
			seen += new TextDecoder().decode(value);
		}

		// With the stream open, HEAD reports the conflict a second GET would meet.
		assert.equal((await head({accept: 'text/event-stream', 'mcp-session-id': id})).status, 409);
		controller.abort();
	});

	test('wrong method → 405 with Allow; bad Accept → 406; wrong Content-Type → 415', async () => {
		const put = await call('/servers/fx/mcp', {method: 'PUT', body: '{}', headers: {'content-type': 'application/json'}});
		assertRpcError(put, 405, -32_600, /Method Not Allowed/);
		assert.equal(put.headers.get('allow'), 'GET, POST, DELETE');
		assertRpcError(await post('/servers/fx/mcp', init(), {accept: 'application/json'}), 406, -32_600, /Accept/);
		assertRpcError(await call('/servers/fx/mcp', {method: 'POST', body: 'hello', headers: {'content-type': 'text/plain', accept: ACCEPT}}), 415, -32_600, /Content-Type/);
	});

	test('malformed JSON → 400 parse error; a non-JSON-RPC object → 400 invalid request', async () => {
		assertRpcError(await post('/servers/fx/mcp', '{"jsonrpc": "2.0", "id": 1,'), 400, -32_700, /Parse error/);
		assertRpcError(await post('/servers/fx/mcp', {hello: 'world'}), 400, -32_600, /Invalid Request/);
		assertRpcError(await post('/servers/fx/mcp', ''), 400, -32_600, /empty body/i);
	});

	test('a body over http.max_body → 413 and nothing is spawned', async () => {
		const sessions = mcpd.supervisor.sessions().length;
		const big = {...init(), params: {...init().params, padding: 'x'.repeat(5000)}};
		assertRpcError(await post('/servers/fx/mcp', big), 413, -32_600, /max_body \(4096 bytes\)/);
		assert.equal(mcpd.supervisor.sessions().length, sessions);
	});

	test('an unsupported MCP-Protocol-Version header → 400 listing every revision served; a supported one passes', async () => {
		const id = await open();
		const body = {jsonrpc: '2.0', id: 11, method: 'tools/list'};
		const refused = await post('/servers/fx/mcp', body, {'mcp-session-id': id, 'mcp-protocol-version': '1999-01-01'});
		assertRpcError(refused, 400, -32_022, /Unsupported protocol version/);
		assert.deepEqual(refused.body.error.data, {supported: ['2026-07-28', '2025-11-25', '2025-06-18', '2025-03-26', '2024-11-05'], requested: '1999-01-01'});
		assert.equal(refused.body.id, 11);
		assert.equal((await post('/servers/fx/mcp', body, {'mcp-session-id': id, 'mcp-protocol-version': '2025-06-18'})).status, 200);
	});

	test('batches: relayed for 2025-03-26 sessions, refused with 400 for later revisions', async () => {
		const modern = await open('2025-11-25');
		const batch = [{
			jsonrpc: '2.0', id: 1, method: 'tools/call', params: {name: 'echo', arguments: {message: 'a'}},
		}, {jsonrpc: '2.0', id: 2, method: 'ping'}];
		assertRpcError(await post('/servers/fx/mcp', batch, {'mcp-session-id': modern}), 400, -32_600, /batches exist only in protocol 2025-03-26/);
		const old = await open('2025-03-26');
		const reply = await post('/servers/fx/mcp', batch, {'mcp-session-id': old});
		assert.equal(reply.status, 200);
		const ids = reply.text.split('\n').filter(line => line.startsWith('data: ')).map(line => JSON.parse(line.slice(6)).id).sort();
		assert.deepEqual(ids, [1, 2]);
		assertRpcError(await post('/servers/fx/mcp', [init()], {'mcp-session-id': old}), 400, -32_600, /initialize cannot be part of a batch/);
	});

	test('a request id already in flight in the session → 400', async () => {
		const id = await open();
		const slow = post('/servers/fx/mcp', {
			jsonrpc: '2.0', id: 77, method: 'tools/call', params: {name: 'sleep', arguments: {ms: 300}},
		}, {'mcp-session-id': id});
		await new Promise(resolve => setTimeout(resolve, 50));
		assertRpcError(await post('/servers/fx/mcp', {jsonrpc: '2.0', id: 77, method: 'ping'}, {'mcp-session-id': id}), 400, -32_600, /already in flight/);
		assert.equal((await slow).body.result.content[0].text, 'slept');
	});

	test('a cancelled request\'s POST is released at once, and the child is told', async () => {
		const id = await open();
		const slow = post('/servers/fx/mcp', {
			jsonrpc: '2.0', id: 'c1', method: 'tools/call', params: {name: 'sleep', arguments: {ms: 30_000}},
		}, {'mcp-session-id': id});
		await new Promise(resolve => setTimeout(resolve, 50));
		const cancel = await post('/servers/fx/mcp', {jsonrpc: '2.0', method: 'notifications/cancelled', params: {requestId: 'c1', reason: 'user'}}, {'mcp-session-id': id});
		assert.equal(cancel.status, 202);
		const released = await slow;
		assert.equal(released.status, 204);
		assert.equal(mcpd.supervisor.get(id)?.inFlight, 0);
	});

	test('after a crash the session id answers 404 with the reason and the stderr tail', async () => {
		const id = await open();
		const crash = await post('/servers/fx/mcp', {
			jsonrpc: '2.0', id: 1, method: 'tools/call', params: {name: 'crash', arguments: {code: 1, stderr: ['KeyError: OPENAI_API_KEY']}},
		}, {'mcp-session-id': id});
		assert.equal(crash.body.error.code, -32_000);
		const after = await post('/servers/fx/mcp', {jsonrpc: '2.0', id: 2, method: 'tools/list'}, {'mcp-session-id': id});
		assertRpcError(after, 404, -32_002, /Session ended \(crash\)/);
		assert.equal(after.body.error.data.reason, 'crash');
		assert.deepEqual(after.body.error.data.stderr.slice(-1), ['KeyError: OPENAI_API_KEY']);
	});

	test('a pretty-printed (multi-line) body still travels as one stdio line', async () => {
		const id = await open();
		const body = JSON.stringify({
			jsonrpc: '2.0', id: 'pp', method: 'tools/call', params: {name: 'echo', arguments: {message: String.raw`line\nbreak`}},
		}, null, 2);
		const reply = await post('/servers/fx/mcp', body, {'mcp-session-id': id});
		assert.equal(reply.body.result.content[0].text, String.raw`line\nbreak`);
	});

	test('a command that cannot start → 502 with the reason, and no session', async () => {
		const broken = await startMcpd(testConfig([server('broken', {command: '/nonexistent/mcp-server'})]));
		try {
			const response = await fetch(new URL('/mcp', broken.base), {method: 'POST', headers: {'content-type': 'application/json', accept: ACCEPT}, body: JSON.stringify(init())});
			assert.equal(response.status, 502);
			assert.equal(response.headers.get('mcp-session-id'), null);
			const body = await response.json() as {error: {message: string}};
			assert.match(body.error.message, /ENOENT/);
			assert.equal(broken.supervisor.sessions().length, 0);
		} finally {
			await broken.close();
		}
	});

	test('/healthz and /status', async () => {
		const id = await open();
		assert.deepEqual((await call('/healthz')).body, {status: 'ok'});
		const status = (await call('/status')).body;
		assert.equal(status.version, '0.0.0-test');
		assert.deepEqual(status.servers.map((entry: {name: string}) => entry.name), ['fx', 'other']);
		const session = status.sessions.find((entry: {id: string}) => entry.id === id);
		assert.equal(session.server, 'fx');
		assert.equal(session.clientName, 'raw');
		assert.equal(typeof session.pid, 'number');
		assert.equal(session.state, 'live');
		// The dashboard's latency figures, served as they are drawn.
		assert.ok(status.latency.servers.fx.count >= 1);
		assert.equal(typeof status.latency.servers.fx.p50, 'number');
		assert.equal(status.latency.sessions[id].count, 1);
	});

	test('an unknown path → 404 with a JSON-RPC body', async () => {
		assertRpcError(await call('/nope'), 404, -32_600, /Not Found/);
	});

	test('Host and Origin: foreign → 403 with a JSON-RPC error body, loopback → allowed', async () => {
		const raw = async (headers: Record<string, string>) => new Promise<{status: number; body: any}>((resolve, reject) => {
			const request = httpRequest(new URL('/healthz', mcpd.base), {headers}, response => {
				let data = '';
				response.on('data', chunk => {
					data += chunk;
				});
				response.on('end', () => {
					resolve({status: response.statusCode!, body: JSON.parse(data)});
				});
			});
			request.on('error', reject);
			request.end();
		});
		const evil = await raw({host: 'evil.example.com'});
		assert.equal(evil.status, 403);
		assert.equal(evil.body.error.code, -32_004);
		assert.equal('id' in evil.body, false);
		assert.equal((await raw({host: 'localhost:3000'})).status, 200);
		assert.equal((await raw({host: '127.0.0.1', origin: 'https://evil.example.com'})).status, 403);
		assert.equal((await raw({host: '127.0.0.1', origin: 'http://localhost:5173'})).status, 200);
	});
});

describe('HTTP auth and allowed origins', () => {
	test('with a token every MCP route needs it (401 + WWW-Authenticate); /healthz stays open', async () => {
		const mcpd = await startMcpd(testConfig([server('fx')], {http: {token: 's3cret-token', allowedOrigins: ['https://app.example.com']}}));
		try {
			const attempt = async (authorization?: string, origin?: string) => fetch(new URL('/mcp', mcpd.base), {
				method: 'POST',
				headers: {
					'content-type': 'application/json',
					accept: ACCEPT,
					...(authorization && {authorization}),
					...(origin && {origin}),
				},
				body: JSON.stringify(init()),
			});
			const missing = await attempt();
			assert.equal(missing.status, 401);
			assert.equal(missing.headers.get('www-authenticate'), 'Bearer realm="mcpd"');
			assert.equal((await missing.json() as {error: {code: number}}).error.code, -32_003);
			assert.equal((await attempt('Bearer wrong')).status, 401);
			assert.equal((await attempt('Bearer s3cret-token')).status, 200);
			assert.equal((await attempt('Bearer s3cret-token', 'https://app.example.com')).status, 200);
			assert.equal((await attempt('Bearer s3cret-token', 'https://other.example.com')).status, 403);
			assert.equal((await fetch(new URL('/status', mcpd.base))).status, 401);
			assert.equal((await fetch(new URL('/healthz', mcpd.base))).status, 200);
			const {client} = await mcpd.client(undefined, {headers: {authorization: 'Bearer s3cret-token'}});
			assert.ok((await client.listTools()).tools.length > 0);
		} finally {
			await mcpd.close();
		}
	});
});
