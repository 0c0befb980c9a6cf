/**
 The 2026-07-28 wire over raw HTTP (fetch): headers, the `_meta` envelope,
 error codes and statuses, and MRTR input rounds, against a listening mcpd
 with real 2025-era children.
 */
import assert from 'node:assert/strict';
import {after, before, describe, test} from 'node:test';
import {setTimeout as sleep} from 'node:timers/promises';
import {CONFORMANCE_FIXTURE, modernClient, server, testConfig, mcpdForSuite} from '../helpers/mcpd.js';
import {fetchReply, type Reply} from '../helpers/http.js';
import {waitFor} from '../helpers/wait-for.js';

const ACCEPT = 'application/json, text/event-stream';
const VERSION = '2026-07-28';
const META = {
	protocolVersion: 'io.modelcontextprotocol/protocolVersion',
	clientCapabilities: 'io.modelcontextprotocol/clientCapabilities',
	clientInfo: 'io.modelcontextprotocol/clientInfo',
	logLevel: 'io.modelcontextprotocol/logLevel',
	serverInfo: 'io.modelcontextprotocol/serverInfo',
} as const;

type Id = number | string;

/**
The envelope every 2026-07-28 request carries; `extra` adds or overrides keys (undefined removes one).
*/
const envelope = (extra: Record<string, unknown> = {}) => {
	const meta: Record<string, unknown> = {
		[META.protocolVersion]: VERSION,
		[META.clientCapabilities]: {},
		[META.clientInfo]: {name: 'raw-modern', version: '1.0.0'},
		...extra,
	};
	for (const key of Object.keys(meta)) {if (meta[key] === undefined) {
			delete meta[key];
		}
}

	return meta;
};

const rpc = (id: Id, method: string, params: Record<string, unknown> = {}, meta: Record<string, unknown> = {}) => ({
	jsonrpc: '2.0', id, method, params: {...params, _meta: envelope(meta)},
});

const toolCall = (id: Id, name: string, args: Record<string, unknown> = {}, meta: Record<string, unknown> = {}) => rpc(id, 'tools/call', {name, arguments: args}, meta);

/**
The sentinel form of a header value: `=?base64?…?=` over its UTF-8 bytes.
*/
const base64Header = (value: string) => `=?base64?${Buffer.from(value, 'utf8').toString('base64')}?=`;

/**
The data of each SSE event, parsed.
*/
const sseEvents = (text: string) => text.split('\n\n').filter(block => block.includes('data: ')).map(block => JSON.parse(block.split('\n').find(line => line.startsWith('data: '))!.slice(6)));

describe('the 2026-07-28 wire', () => {
	const mcpd = mcpdForSuite(() => testConfig([
		server('fx'),
		server('keyed', {headerEnv: {'x-user-key': 'USER_KEY'}}),
		server('short', {inputTimeoutMs: 300}),
		server('conf', {args: [CONFORMANCE_FIXTURE]}),
	]));

	const call = async (path: string, init: RequestInit = {}) => fetchReply(mcpd.base, path, init);

	/**
	 POSTs a body with the headers a 2026-07-28 client derives from it
	 (`MCP-Protocol-Version`, `Mcp-Method`, `Mcp-Name`); `headers` overrides
	 them, and an undefined value leaves a header out.
	 */
	async function post(path: string, body: any, headers: Record<string, string | undefined> = {}): Promise<Reply> {
		const derived: Record<string, string | undefined> = {
			'content-type': 'application/json',
			accept: ACCEPT,
			'mcp-protocol-version': VERSION,
		};
		if (body && typeof body === 'object' && !Array.isArray(body) && typeof body.method === 'string') {
			derived['mcp-method'] = body.method;
			const target = body.params?.name ?? body.params?.uri;
			if (['tools/call', 'prompts/get', 'resources/read'].includes(body.method) && typeof target === 'string') {
				derived['mcp-name'] = target;
			}
		}

		const sent: Record<string, string> = {};
		for (const [name, value] of Object.entries({...derived, ...headers})) {if (value !== undefined) {
				sent[name] = value;
			}
}

		return call(path, {method: 'POST', headers: sent, body: typeof body === 'string' ? body : JSON.stringify(body)});
	}

	const assertRpcError = (reply: Reply, status: number, code: number, id: Id | null, pattern?: RegExp) => {
		assert.equal(reply.status, status, reply.text);
		assert.equal(reply.body?.jsonrpc, '2.0', reply.text);
		assert.equal(reply.body?.error?.code, code, reply.text);
		assert.equal(reply.body?.id, id, reply.text);
		if (pattern) {
			assert.match(reply.body.error.message, pattern);
		}
	};

	const modernRows = (name: string) => mcpd.supervisor.sessions().filter(row => row.server === name && row.era === 'modern');

	test('a valid tools/call: 200 JSON, the same id, resultType complete, serverInfo in _meta, no session id', async () => {
		const reply = await post('/servers/fx/mcp', toolCall('call-1', 'echo', {message: 'hello'}));
		assert.equal(reply.status, 200, reply.text);
		assert.equal(reply.headers.get('content-type'), 'application/json');
		assert.equal(reply.headers.get('mcp-session-id'), null);
		assert.equal(reply.body.jsonrpc, '2.0');
		assert.equal(reply.body.id, 'call-1');
		assert.equal(reply.body.result.resultType, 'complete');
		assert.deepEqual(reply.body.result.content, [{type: 'text', text: 'hello'}]);
		assert.equal(reply.body.result._meta[META.serverInfo].name, 'fixture');
		assert.equal(typeof reply.body.result._meta[META.serverInfo].version, 'string');
		// A numeric id comes back as a number.
		const numeric = await post('/servers/fx/mcp', toolCall(42, 'echo', {message: 'n'}));
		assert.equal(numeric.body.id, 42);
	});

	test('tools/list carries ttlMs and cacheScope: public for a shared child, private for a per-user one', async () => {
		const reply = await post('/servers/fx/mcp', rpc(2, 'tools/list'));
		assert.equal(reply.status, 200, reply.text);
		const {result} = reply.body;
		assert.equal(result.resultType, 'complete');
		assert.ok(Number.isInteger(result.ttlMs) && result.ttlMs >= 0, `ttlMs ${result.ttlMs}`);
		// The fixture announces tools/list_changed, so mcpd vouches for list_ttl (60 s by default).
		assert.equal(result.ttlMs, 60_000);
		assert.equal(result.cacheScope, 'public');
		assert.ok(result.tools.some((tool: {name: string}) => tool.name === 'sample'));
		assert.equal(result._meta[META.serverInfo].name, 'fixture');
		const keyed = await post('/servers/keyed/mcp', rpc(3, 'tools/list'), {'x-user-key': 'sk-a'});
		assert.equal(keyed.status, 200, keyed.text);
		assert.equal(keyed.body.result.cacheScope, 'private');
		assert.ok(Number.isInteger(keyed.body.result.ttlMs));
		assert.ok(keyed.body.result.ttlMs >= 0);
	});

	test('server/discover: every revision served, the child\'s capabilities, serverInfo in _meta', async () => {
		const reply = await post('/servers/fx/mcp', rpc('d', 'server/discover'));
		assert.equal(reply.status, 200, reply.text);
		assert.equal(reply.headers.get('mcp-session-id'), null);
		assert.equal(reply.body.id, 'd');
		const {result} = reply.body;
		assert.equal(result.resultType, 'complete');
		for (const version of ['2026-07-28', '2025-11-25', '2025-06-18', '2025-03-26']) {
			assert.ok(result.supportedVersions.includes(version), `supportedVersions lacks ${version}`);
		}

		assert.ok(result.capabilities.tools, 'capabilities.tools');
		assert.equal(result._meta[META.serverInfo].name, 'fixture');
	});

	test('MCP-Protocol-Version missing, or different from _meta → 400 -32020 with the request\'s id', async () => {
		assertRpcError(await post('/servers/fx/mcp', toolCall(10, 'echo', {message: 'x'}), {'mcp-protocol-version': undefined}), 400, -32_020, 10, /MCP-Protocol-Version/);
		assertRpcError(await post('/servers/fx/mcp', toolCall(11, 'echo', {message: 'x'}), {'mcp-protocol-version': '2025-11-25'}), 400, -32_020, 11, /does not match/);
	});

	test('Mcp-Method missing, or different from the body\'s method → 400 -32020', async () => {
		assertRpcError(await post('/servers/fx/mcp', toolCall(12, 'echo', {message: 'x'}), {'mcp-method': undefined}), 400, -32_020, 12, /Mcp-Method/);
		assertRpcError(await post('/servers/fx/mcp', toolCall(13, 'echo', {message: 'x'}), {'mcp-method': 'tools/list'}), 400, -32_020, 13, /Mcp-Method/);
	});

	test('Mcp-Name missing on tools/call, or different from params.name → 400 -32020', async () => {
		assertRpcError(await post('/servers/fx/mcp', toolCall(14, 'echo', {message: 'x'}), {'mcp-name': undefined}), 400, -32_020, 14, /Mcp-Name/);
		assertRpcError(await post('/servers/fx/mcp', toolCall(15, 'echo', {message: 'x'}), {'mcp-name': 'pid'}), 400, -32_020, 15, /Mcp-Name/);
		// A sentinel that decodes to another name is a mismatch too.
		assertRpcError(await post('/servers/fx/mcp', toolCall(16, 'echo', {message: 'x'}), {'mcp-name': base64Header('pid')}), 400, -32_020, 16, /Mcp-Name/);
	});

	test('Mcp-Name in its Base64 sentinel form is decoded; a non-ASCII name passes only that way', async () => {
		const sentinel = await post('/servers/fx/mcp', toolCall(17, 'echo', {message: 'via sentinel'}), {'mcp-name': base64Header('echo')});
		assert.equal(sentinel.status, 200, sentinel.text);
		assert.equal(sentinel.body.result.content[0].text, 'via sentinel');

		const name = '工具-é';
		const encoded = await post('/servers/fx/mcp', toolCall(18, name), {'mcp-name': base64Header(name)});
		assert.equal(encoded.status, 200, encoded.text);
		// The fixture has no such tool: its answer proves the name reached it intact.
		assert.equal(encoded.body.result.isError, true);
		assert.equal(encoded.body.result.content[0].text, `Unknown tool: ${name}`);

		// The name's UTF-8 bytes sent raw (what a naive client puts on the wire) do not match.
		const raw = await post('/servers/fx/mcp', toolCall(19, name), {'mcp-name': Buffer.from(name, 'utf8').toString('latin1')});
		assertRpcError(raw, 400, -32_020, 19, /Mcp-Name/);
	});

	test('a plain Mcp-Name outside printable ASCII is malformed even when its bytes read back as the name → 400 -32020', async () => {
		// `é` goes out as the single byte 0xE9, which node reads back as Latin-1 `é`: only the sentinel may carry it.
		const reply = await post('/servers/fx/mcp', toolCall(24, 'é'), {'mcp-name': 'é'});
		assertRpcError(reply, 400, -32_020, 24, /Mcp-Name/);
		const encoded = await post('/servers/fx/mcp', toolCall(25, 'é'), {'mcp-name': base64Header('é')});
		assert.equal(encoded.status, 200, encoded.text);
		assert.equal(encoded.body.result.content[0].text, 'Unknown tool: é');
	});

	test('_meta without protocolVersion or clientCapabilities, under a 2026 header → 400 -32602', async () => {
		assertRpcError(await post('/servers/fx/mcp', toolCall(20, 'echo', {message: 'x'}, {[META.protocolVersion]: undefined})), 400, -32_602, 20);
		assertRpcError(await post('/servers/fx/mcp', toolCall(21, 'echo', {message: 'x'}, {[META.clientCapabilities]: undefined})), 400, -32_602, 21);
		const bare = {
			jsonrpc: '2.0', id: 22, method: 'tools/list', params: {},
		};
		assertRpcError(await post('/servers/fx/mcp', bare), 400, -32_602, 22);
	});

	test('an unknown version in header and _meta → 400 -32022 listing what is supported', async () => {
		const reply = await post('/servers/fx/mcp', rpc(23, 'tools/list', {}, {[META.protocolVersion]: '1999-01-01'}), {'mcp-protocol-version': '1999-01-01'});
		assertRpcError(reply, 400, -32_022, 23);
		assert.ok(reply.body.error.data.supported.includes('2026-07-28'), reply.text);
		assert.ok(reply.body.error.data.supported.includes('2025-11-25'), reply.text);
		assert.equal(reply.body.error.data.requested, '1999-01-01');
	});

	test('methods this revision removed → 404 -32601', async () => {
		const removed: Array<[string, Record<string, unknown>]> = [
			['initialize', {protocolVersion: VERSION, capabilities: {}, clientInfo: {name: 'raw', version: '1'}}],
			['ping', {}],
			['logging/setLevel', {level: 'debug'}],
			['resources/subscribe', {uri: 'file:///x'}],
		];
		let id = 30;
		for (const [method, params] of removed) {
			id++;
			const reply = await post('/servers/fx/mcp', rpc(id, method, params));
			assertRpcError(reply, 404, -32_601, id);
			assert.equal(reply.headers.get('mcp-session-id'), null, method);
		}
	});

	test('a method the child does not have → its -32601 mapped to 404', async () => {
		const reply = await post('/servers/fx/mcp', rpc(40, 'nothing/here'));
		assertRpcError(reply, 404, -32_601, 40, /nothing\/here/);
	});

	test('GET and DELETE without Mcp-Session-Id → 405 with Allow', async () => {
		const modernHeaders = {accept: 'text/event-stream', 'mcp-protocol-version': VERSION};
		const get = await call('/servers/fx/mcp', {headers: modernHeaders});
		assert.equal(get.status, 405, get.text);
		assert.match(get.headers.get('allow') ?? '', /POST/);
		assert.equal(get.body.error.code, -32_600);
		const remove = await call('/servers/fx/mcp', {method: 'DELETE', headers: modernHeaders});
		assert.equal(remove.status, 405, remove.text);
		assert.match(remove.headers.get('allow') ?? '', /POST/);
	});

	test('a notification → 202 with no body', async () => {
		const reply = await post('/servers/fx/mcp', {jsonrpc: '2.0', method: 'notifications/cancelled', params: {requestId: 'nobody', _meta: envelope()}});
		assert.equal(reply.status, 202);
		assert.equal(reply.text, '');
	});

	test('a JSON array, or a JSON-RPC response, under modern headers → 400', async () => {
		const batch = await post('/servers/fx/mcp', [toolCall(50, 'echo', {message: 'a'}), rpc(51, 'tools/list')], {'mcp-method': 'tools/call', 'mcp-name': 'echo'});
		assert.equal(batch.status, 400, batch.text);
		assert.equal(batch.body.error.code, -32_600);
		const response = await post('/servers/fx/mcp', {jsonrpc: '2.0', id: 52, result: {}});
		assert.equal(response.status, 400, response.text);
		assert.equal(response.body.error.code, -32_600);
	});

	test('logs: with _meta logLevel the answer is SSE, the log before the result; without it, plain JSON', async () => {
		const logged = await post('/servers/fx/mcp', toolCall(60, 'log', {message: 'a log line', level: 'info'}, {[META.logLevel]: 'debug'}));
		assert.equal(logged.status, 200, logged.text);
		assert.equal(logged.headers.get('content-type'), 'text/event-stream');
		const events = sseEvents(logged.text);
		assert.deepEqual(events.map(event => event.method ?? `response ${event.id}`), ['notifications/message', 'response 60']);
		assert.equal(events[0].params.data, 'a log line');
		assert.equal(events[0].params.level, 'info');
		assert.equal(events[1].result.content[0].text, 'ok');

		const quiet = await post('/servers/fx/mcp', toolCall(61, 'log', {message: 'unheard'}));
		assert.equal(quiet.status, 200, quiet.text);
		assert.equal(quiet.headers.get('content-type'), 'application/json');
		assert.equal(quiet.body.id, 61);
		assert.equal(quiet.body.result.content[0].text, 'ok');
		assert.ok(!quiet.text.includes('unheard'));

		// Below the requested level: still no message.
		const filtered = await post('/servers/fx/mcp', toolCall(62, 'log', {message: 'too low', level: 'debug'}, {[META.logLevel]: 'error'}));
		assert.equal(filtered.headers.get('content-type'), 'application/json');
		assert.equal(filtered.body.id, 62);
	});

	const SAMPLING = {[META.clientCapabilities]: {sampling: {}}};
	const answer = (text: string) => ({role: 'assistant', model: 'm', content: {type: 'text', text}});

	/**
	Calls `sample` and returns its input round: the key of its one input request and the requestState.
	*/
	async function openRound(path: string, id: Id, prompt: string, headers: Record<string, string> = {}) {
		const reply = await post(path, toolCall(id, 'sample', {prompt}, SAMPLING), headers);
		assert.equal(reply.status, 200, reply.text);
		assert.equal(reply.headers.get('content-type'), 'application/json');
		assert.equal(reply.body.id, id);
		const {result} = reply.body;
		assert.equal(result.resultType, 'input_required', reply.text);
		const keys = Object.keys(result.inputRequests);
		assert.equal(keys.length, 1, reply.text);
		const request = result.inputRequests[keys[0]];
		assert.equal(request.method, 'sampling/createMessage');
		assert.equal(request.params.messages[0].content.text, prompt);
		assert.equal(typeof result.requestState, 'string');
		assert.ok(result.requestState.length > 0);
		return {key: keys[0], state: result.requestState as string};
	}

	const retry = (id: Id, prompt: string, key: string, state: string, text = 'hi') =>
		rpc(id, 'tools/call', {
			name: 'sample', arguments: {prompt}, inputResponses: {[key]: answer(text)}, requestState: state,
		}, SAMPLING);

	test('MRTR: input_required, then the retry with inputResponses and requestState gets the final result under its own id', async () => {
		const {key, state} = await openRound('/servers/fx/mcp', 'mrtr-1', 'question');
		const done = await post('/servers/fx/mcp', retry('mrtr-2', 'question', key, state));
		assert.equal(done.status, 200, done.text);
		assert.equal(done.body.id, 'mrtr-2');
		assert.equal(done.body.result.resultType, 'complete');
		assert.equal(done.body.result.content[0].text, 'sampled: hi');
		assert.equal(done.body.result._meta[META.serverInfo].name, 'fixture');

		// The same state again, after the call it continued has ended.
		assertRpcError(await post('/servers/fx/mcp', retry('mrtr-3', 'question', key, state)), 400, -32_602, 'mrtr-3');
	});

	test('MRTR: an altered requestState → 400 -32602, and the round stays open for the genuine one', async () => {
		const {key, state} = await openRound('/servers/fx/mcp', 't-1', 'tamper');
		const altered = `${state.startsWith('A') ? 'B' : 'A'}${state.slice(1)}`;
		assertRpcError(await post('/servers/fx/mcp', retry('t-2', 'tamper', key, altered)), 400, -32_602, 't-2', /requestState/);
		const done = await post('/servers/fx/mcp', retry('t-3', 'tamper', key, state, 'genuine'));
		assert.equal(done.status, 200, done.text);
		assert.equal(done.body.result.content[0].text, 'sampled: genuine');
	});

	test('MRTR: a requestState presented by another identity → 400 -32602', async () => {
		const {key, state} = await openRound('/servers/keyed/mcp', 'i-1', 'mine', {'x-user-key': 'sk-alice'});
		assertRpcError(await post('/servers/keyed/mcp', retry('i-2', 'mine', key, state), {'x-user-key': 'sk-bob'}), 400, -32_602, 'i-2', /requestState/);
		const done = await post('/servers/keyed/mcp', retry('i-3', 'mine', key, state, 'alice'), {'x-user-key': 'sk-alice'});
		assert.equal(done.status, 200, done.text);
		assert.equal(done.body.result.content[0].text, 'sampled: alice');
	});

	test('MRTR: a round left past input_timeout → the retry gets 400 -32602 (expired), and the child is free again', async () => {
		// A first full round: `sample` is now known to ask, so later calls of it run alone on the one child.
		const first = await openRound('/servers/short/mcp', 'e-1', 'one');
		assert.equal((await post('/servers/short/mcp', retry('e-2', 'one', first.key, first.state))).body.result.content[0].text, 'sampled: hi');

		const {key, state} = await openRound('/servers/short/mcp', 'e-3', 'late');
		await sleep(500);
		assertRpcError(await post('/servers/short/mcp', retry('e-4', 'late', key, state)), 400, -32_602, 'e-4', /expired/);
		await waitFor(() => modernRows('short').every(row => row.inFlight === 0), {message: 'the expired call to leave the child'});

		// With modern_children 1, this would wait for ever if the expired call still held the child.
		const again = await openRound('/servers/short/mcp', 'e-5', 'again');
		const done = await post('/servers/short/mcp', retry('e-6', 'again', again.key, again.state, 'later'));
		assert.equal(done.status, 200, done.text);
		assert.equal(done.body.result.content[0].text, 'sampled: later');
		assert.equal(modernRows('short').length, 1);
	});

	test('sample without sampling declared → 400 -32021 naming the capability', async () => {
		const reply = await post('/servers/fx/mcp', toolCall('nc', 'sample', {prompt: 'x'}));
		assertRpcError(reply, 400, -32_021, 'nc');
		assert.deepEqual(reply.body.error.data.requiredCapabilities.sampling, {});
	});

	test('a foreign Origin on a modern request → 403', async () => {
		const reply = await post('/servers/fx/mcp', toolCall(70, 'echo', {message: 'x'}), {origin: 'https://evil.example'});
		assert.equal(reply.status, 403, reply.text);
		assert.equal(reply.body.error.code, -32_004);
	});

	test('every child is a modern one, and none is left after shutdown (see after)', async () => {
		assert.ok(modernRows('fx').length > 0);
		assert.equal(mcpd.supervisor.sessions().filter(row => row.era !== 'modern').length, 0, 'no legacy session was opened');
	});
	test('Mcp-Param-* headers of tools annotated x-mcp-header are checked against the body once tools/list has been seen', async () => {
		const call = async (id: Id, region: unknown, headers: Record<string, string | undefined>) => post('/servers/conf/mcp', toolCall(id, 'test_custom_headers', {region}), headers);
		// Before the list is seen the annotation is unknown: the call goes through as it is.
		assert.equal((await call(1, 'eu-west', {})).status, 200);
		const list = await post('/servers/conf/mcp', rpc(2, 'tools/list'));
		assert.ok(list.body.result.tools.some((tool: {name: string}) => tool.name === 'test_custom_headers'));
		const ok = await call(3, 'eu-west', {'mcp-param-region': 'eu-west'});
		assert.equal(ok.body.result.content[0].text, 'Region: eu-west');
		assert.equal((await call(4, 'Zürich', {'mcp-param-region': base64Header('Zürich')})).status, 200);
		assert.equal((await call(5, '=?base64?abc', {'mcp-param-region': '=?base64?abc'})).status, 200, 'one marker only: a literal');
		assertRpcError(await call(6, 'eu-west', {}), 400, -32_020, 6, /Mcp-Param-Region header is required/);
		assertRpcError(await call(7, 'eu-west', {'mcp-param-region': 'us-east'}), 400, -32_020, 7, /does not match body region/);
		assertRpcError(await call(8, 'Hello', {'mcp-param-region': '=?base64?SGVsbG8?='}), 400, -32_020, 8, /Base64/);
		// The 2.x client mirrors the header itself, from the same annotation.
		const client = await modernClient(mcpd.url('conf'));
		await client.listTools();
		const result = await client.callTool({name: 'test_custom_headers', arguments: {region: 'ap-south'}});
		assert.equal((result.content as Array<{text: string}>)[0].text, 'Region: ap-south');
		await client.close();
	});
});
