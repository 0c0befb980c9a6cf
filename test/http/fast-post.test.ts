/**
 The MCP POST's fast path below fastify: which requests it takes (counted by
 fastify's hooks, which only see the others), that everything else still
 reaches fastify's routes with their answers, and that its own refusals are
 fastify's, byte for byte.
 */
import assert from 'node:assert/strict';
import {after, before, describe, test} from 'node:test';
import {Supervisor} from '../../source/core/supervisor.js';
import {buildApp} from '../../source/http/app.js';
import {serverNameOf} from '../../source/http/fast-post.js';
import {server, testConfig} from '../helpers/mcpd.js';
import {assertNoNewChildren, descendants} from '../helpers/processes.js';
import {RawClient, type RawResponse} from '../helpers/raw-http.js';

const TOKEN = 'fast-path-token-0123456789';
const init = JSON.stringify({
	jsonrpc: '2.0', id: 1, method: 'initialize', params: {protocolVersion: '2025-11-25', capabilities: {}, clientInfo: {name: 'raw', version: '1'}},
});

test('serverNameOf: only plain MCP paths, the name undecoded', () => {
	assert.equal(serverNameOf('/mcp'), undefined);
	assert.equal(serverNameOf('/servers/fx/mcp'), 'fx');
	assert.equal(serverNameOf('/servers/a.b-c_d/mcp'), 'a.b-c_d');
	for (const url of ['/mcp?x=1', '/mcp/', '/servers//mcp', '/servers/f%78/mcp', '/servers/a/b/mcp', '/servers/fx/mcp?x', '/servers/fx/mcp#y', '/healthz', '/servers/fx/mcpx']) {
		assert.equal(serverNameOf(url), false, url);
	}
});

describe('the fast path', () => {
	let base: string;
	let close: () => Promise<void>;
	const seen: string[] = [];
	let childrenBefore: number[];

	before(async () => {
		childrenBefore = descendants();
		const config = testConfig([server('fx')], {http: {token: TOKEN, maxBody: 4096}});
		const supervisor = new Supervisor(config, process.env, '0.0.0-test');
		const app = buildApp({supervisor, config, version: '0.0.0-test'});
		// The guard's refusals end the onRequest hooks before this one; they are still sent through onSend.
		app.addHook('onRequest', async request => {
			seen.push(`${request.method} ${request.url}`);
		});
		app.addHook('onSend', async request => {
			seen.push(`${request.method} ${request.url}`);
		});
		await app.listen({host: '127.0.0.1', port: 0});
		const address = app.server.address();
		if (address === null || typeof address === 'string') {
			throw new Error('no address');
		}

		base = `http://127.0.0.1:${address.port}`;
		close = async () => {
			await supervisor.shutdown();
			await app.close();
		};
	});

	after(async () => {
		await close();
		await assertNoNewChildren(childrenBefore);
	});

	const headers = (extra: Record<string, string> = {}) => ({
		host: '127.0.0.1',
		accept: 'application/json, text/event-stream',
		'content-type': 'application/json',
		authorization: `Bearer ${TOKEN}`,
		...extra,
	});

	/**
	One request on a fresh connection; `chunked` sends the body in chunked coding (no Content-Length).
	*/
	const send = async (method: string, path: string, body: string, extra: Record<string, string> = {}, chunked = false): Promise<RawResponse> => {
		const client = await RawClient.open(base);
		const all: Record<string, string> = {...headers(extra), ...(chunked ? {'transfer-encoding': 'chunked'} : {'content-length': String(Buffer.byteLength(body))})};
		const lines = Object.entries(all).filter(([, value]) => value !== '').map(([name, value]) => `${name}: ${value}\r\n`).join('');
		const payload = chunked ? `${body.length > 0 ? `${Buffer.byteLength(body).toString(16)}\r\n${body}\r\n` : ''}0\r\n\r\n` : body;
		client.write(`${method} ${path} HTTP/1.1\r\n${lines}\r\n${payload}`);
		const response = await client.response();
		client.close();
		return response;
	};

	const taken = async (run: () => Promise<unknown>): Promise<boolean> => {
		const before = seen.length;
		await run();
		return seen.length === before;
	};

	test('a session\'s POSTs never reach fastify; its DELETE does', async () => {
		let opened: RawResponse | undefined;
		assert.ok(await taken(async () => {
			opened = await send('POST', '/servers/fx/mcp', init);
		}));
		assert.equal(opened?.status, 200, opened?.body);
		const session = opened.headers['mcp-session-id'];
		assert.ok(session);
		const extra = {'mcp-session-id': session, 'mcp-protocol-version': '2025-11-25'};
		let note: RawResponse | undefined;
		let call: RawResponse | undefined;
		assert.ok(await taken(async () => {
			note = await send('POST', '/servers/fx/mcp', JSON.stringify({jsonrpc: '2.0', method: 'notifications/initialized'}), extra);
			call = await send('POST', '/mcp', JSON.stringify({
				jsonrpc: '2.0', id: 2, method: 'tools/call', params: {name: 'echo', arguments: {message: 'hello fast path'}},
			}), extra);
		}));
		assert.equal(note?.status, 202);
		assert.equal(note?.headers['content-length'], '0');
		assert.equal(call?.status, 200, call?.body);
		assert.equal(call?.json.id, 2);
		assert.match(JSON.stringify(call?.json.result), /hello fast path/);
		assert.equal(await taken(async () => send('DELETE', '/mcp', '', extra)), false);
	});

	test('a charset parameter is still the fast path; anything unusual goes to fastify, which answers it', async () => {
		assert.ok(await taken(async () => {
			assert.equal((await send('POST', '/mcp', init, {'content-type': 'application/json; charset=utf-8'})).status, 200);
		}));
		const cases: Array<[string, () => Promise<RawResponse>, number]> = [
			['chunked body', async () => send('POST', '/mcp', init, {}, true), 200],
			['escaped name', async () => send('POST', '/servers/f%78/mcp', init), 200],
			['query string', async () => send('POST', '/mcp?x=1', init), 200],
			['upper-case media type', async () => send('POST', '/mcp', init, {'content-type': 'Application/JSON'}), 200],
			['other media type', async () => send('POST', '/mcp', init, {'content-type': 'text/plain'}), 415],
			['no token', async () => send('POST', '/mcp', init, {authorization: ''}), 401],
			['foreign Origin', async () => send('POST', '/mcp', init, {origin: 'https://evil.example'}), 403],
			['unknown server', async () => send('POST', '/servers/nope/mcp', init), 404],
			['over max_body', async () => send('POST', '/mcp', JSON.stringify({pad: 'x'.repeat(5000)})), 413],
		];
		for (const [what, run, status] of cases) {
			let response: RawResponse | undefined;
			assert.equal(await taken(async () => {
				response = await run();
			}), false, `${what} should reach fastify`);
			assert.equal(response?.status, status, `${what}: ${response?.body}`);
		}
	});

	test('its refusals of a body are fastify\'s, status and bytes', async () => {
		for (const body of ['{"jsonrpc": "2.0", "id": 1,', '', ' '.repeat(3), '[1, 2', '{"a":1}x']) {
			let fast: RawResponse | undefined;
			let routed: RawResponse | undefined;
			assert.ok(await taken(async () => {
				fast = await send('POST', '/mcp', body);
			}), JSON.stringify(body));
			assert.equal(await taken(async () => {
				routed = await send('POST', '/mcp', body, {}, true);
			}), false);
			assert.equal(fast?.status, 400);
			assert.equal(fast?.status, routed?.status, JSON.stringify(body));
			assert.equal(fast?.body, routed?.body, JSON.stringify(body));
		}
	});

	test('a client that leaves halfway through a body costs nothing', async () => {
		const client = await RawClient.open(base);
		const lines = Object.entries({...headers(), 'content-length': '1000'}).map(([name, value]) => `${name}: ${value}\r\n`).join('');
		client.write(`POST /mcp HTTP/1.1\r\n${lines}\r\n{"jsonrpc":"2.0",`);
		await new Promise(resolve => {
			setTimeout(resolve, 50);
		});
		client.socket.resetAndDestroy();
		await client.closed;
		assert.equal((await send('POST', '/mcp', init)).status, 200);
	});
});
