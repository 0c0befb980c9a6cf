/**
 What the HTTP fuzz (fuzz.test.ts) found, each pinned by a request of its
 own: deeply nested JSON that mcpd serialises again (a 500, calls left in
 flight, an uncaught exception with a lost answer), and a 502 where a
 modern listen stream met a session limit.
 */
import assert from 'node:assert/strict';
import {after, before, describe, test} from 'node:test';
import {server, startMcpd, testConfig, type Running} from '../helpers/mcpd.js';
import {fetchReply, type Reply} from '../helpers/http.js';
import {assertNoNewChildren, descendants} from '../helpers/processes.js';

const ACCEPT = 'application/json, text/event-stream';
const VERSION = '2026-07-28';
const ENVELOPE = {'io.modelcontextprotocol/protocolVersion': VERSION, 'io.modelcontextprotocol/clientCapabilities': {}};
/**
Deep enough to exhaust JSON.stringify's stack, shallow enough for a small body.
*/
const DEEP = 5000;
const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

describe('hostile input the fuzz found', () => {
	let mcpd: Running;
	let childrenBefore: number[];
	const errors: string[] = [];
	const uncaught: unknown[] = [];
	const onUncaught = (error: unknown) => {
		uncaught.push(error);
	};

	before(async () => {
		childrenBefore = descendants();
		process.on('uncaughtException', onUncaught);
		mcpd = await startMcpd(testConfig([
			server('fx', {requestTimeoutMs: 2000}),
			server('one', {maxSessions: 1, headerEnv: {'x-user-key': 'USER_KEY'}}),
		]));
		mcpd.supervisor.events.on('log', entry => {
			if (entry.level === 'error') {
				errors.push(`${entry.message} ${JSON.stringify(entry.fields)}`);
			}
		});
	});

	after(async () => {
		process.off('uncaughtException', onUncaught);
		await mcpd.close();
		await assertNoNewChildren(childrenBefore);
	});

	const post = async (path: string, body: string, headers: Record<string, string> = {}): Promise<Reply> => fetchReply(mcpd.base, path, {
		method: 'POST',
		headers: {'content-type': 'application/json', accept: ACCEPT, ...headers},
		body,
		signal: AbortSignal.timeout(5000),
	});

	/**
	A modern tools/call whose `arguments` and `_meta` are spliced in as raw JSON text.
	*/
	const modernCall = (id: number, name: string, args: string, meta = '') =>
		`{"jsonrpc":"2.0","id":${id},"method":"tools/call","params":{"name":"${name}","arguments":${args},"_meta":{${meta}${JSON.stringify(ENVELOPE).slice(1, -1)}}}}`;
	const modernHeaders = (name: string) => ({'mcp-protocol-version': VERSION, 'mcp-method': 'tools/call', 'mcp-name': name});

	const initialize = async (protocolVersion: string) => {
		const reply = await post('/servers/fx/mcp', JSON.stringify({
			jsonrpc: '2.0', id: 0, method: 'initialize', params: {protocolVersion, capabilities: {}, clientInfo: {name: 'findings', version: '1'}},
		}));
		assert.equal(reply.status, 200, reply.text);
		return reply.headers.get('mcp-session-id')!;
	};

	test('a modern call nested 5,000 deep → 400 naming the limit, and nothing is left in flight on the child', async () => {
		const reply = await post('/servers/fx/mcp', modernCall(1, 'echo', `{"message":${nested(DEEP)}}`), modernHeaders('echo'));
		assert.equal(reply.status, 400, reply.text);
		assert.equal(reply.body.id, 1);
		assert.equal(reply.body.error.code, -32_602);
		assert.match(reply.body.error.message, /may nest at most 1000/);
		const next = await post('/servers/fx/mcp', modernCall(2, 'echo', '{"message":"still here"}'), modernHeaders('echo'));
		assert.equal(next.body.result.content[0].text, 'still here');
		assert.deepEqual(mcpd.supervisor.sessions().filter(row => row.server === 'fx').map(row => row.inFlight), [0]);
	});

	test('1,000 levels, the limit itself, still reach the child', async () => {
		// The message and its params take two levels, `arguments` a third.
		const reply = await post('/servers/fx/mcp', modernCall(3, 'echo', `{"message":${nested(997)}}`), modernHeaders('echo'));
		assert.equal(reply.status, 200, reply.text);
		assert.equal(reply.body.result.resultType, 'complete');
	});

	test('a progress token nested 5,000 deep is refused before the child can answer with progress', async () => {
		const reply = await post('/servers/fx/mcp', modernCall(4, 'progress', '{"steps":1,"delay_ms":1}', `"progressToken":${nested(DEEP)},`), modernHeaders('progress'));
		assert.equal(reply.status, 400, reply.text);
		assert.equal(reply.body.error.code, -32_602);
		assert.deepEqual(uncaught, []);
	});

	test('a deep name under a mismatched Mcp-Name → 400, not a 500 while quoting it', async () => {
		const body = `{"jsonrpc":"2.0","id":5,"method":"tools/call","params":{"name":${nested(DEEP)},"_meta":${JSON.stringify(ENVELOPE)}}}`;
		const reply = await post('/servers/fx/mcp', body, modernHeaders('echo'));
		assert.equal(reply.status, 400, reply.text);
		assert.equal(reply.body.error.code, -32_602);
	});

	test('an unsupported MCP-Protocol-Version with a deep or object id → 400 -32022 with a null id', async () => {
		const session = await initialize('2025-11-25');
		for (const id of [nested(DEEP), '{"a":1}']) {
			const reply = await post('/servers/fx/mcp', `{"jsonrpc":"2.0","id":${id},"method":"tools/list"}`, {'mcp-session-id': session, 'mcp-protocol-version': VERSION});
			assert.equal(reply.status, 400, reply.text);
			assert.equal(reply.body.error.code, -32_022);
			assert.equal(reply.body.id, null, reply.text);
		}
	});

	test('a 2025-03-26 batch with a message nested 5,000 deep is relayed as written, not a 500', async () => {
		const session = await initialize('2025-03-26');
		const batch = `[{"jsonrpc":"2.0","id":6,"method":"tools/call","params":{"name":"size_of","arguments":{"data":${nested(DEEP)}}}},{"jsonrpc":"2.0","id":7,"method":"ping"}]`;
		const reply = await post('/servers/fx/mcp', batch, {'mcp-session-id': session});
		assert.equal(reply.status, 200, reply.text);
		assert.match(reply.text, /size_of: data must be a string/);
	});

	test('a single legacy message is relayed as it came, however deep (mcpd does not parse it again)', async () => {
		const session = await initialize('2025-11-25');
		const reply = await post('/servers/fx/mcp', `{"jsonrpc":"2.0","id":8,"method":"tools/call","params":{"name":"size_of","arguments":{"data":${nested(DEEP)}}}}`, {'mcp-session-id': session});
		assert.equal(reply.status, 200, reply.text);
		assert.equal(reply.body.result.content[0].text, 'size_of: data must be a string');
	});

	test('subscriptions/listen when the server is at max_sessions → 503 with Retry-After, like any other modern request', async () => {
		const taken = await post('/servers/one/mcp', modernCall(9, 'echo', '{"message":"a"}'), {...modernHeaders('echo'), 'x-user-key': 'alice'});
		assert.equal(taken.status, 200, taken.text);
		const listen = `{"jsonrpc":"2.0","id":10,"method":"subscriptions/listen","params":{"notifications":{"toolsListChanged":true},"_meta":${JSON.stringify(ENVELOPE)}}}`;
		const reply = await post('/servers/one/mcp', listen, {'mcp-protocol-version': VERSION, 'mcp-method': 'subscriptions/listen', 'x-user-key': 'bob'});
		assert.equal(reply.status, 503, reply.text);
		assert.equal(reply.body.id, 10);
		assert.equal(reply.body.error.code, -32_005);
		assert.match(reply.body.error.message, /maximum of 1 sessions/);
		assert.equal(reply.headers.get('retry-after'), '5');
	});

	test('none of it was an internal error', () => {
		assert.deepEqual(errors, []);
		assert.deepEqual(uncaught, []);
	});
});
