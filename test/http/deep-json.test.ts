/**
 Deeply nested JSON from a client, over real HTTP to real children: V8's
 JSON.parse takes it, JSON.stringify overflows its stack, so mcpd must never
 need to re-serialise what it only relays.
 */
import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {server, testConfig, mcpdForSuite} from '../helpers/mcpd.js';
import {fetchReply, type Reply} from '../helpers/http.js';

const ACCEPT = 'application/json, text/event-stream';
const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;
/**
An echo call whose arguments carry `depth` nested arrays besides the message.
*/
const deepEcho = (id: number, depth: number, extra = '') =>
	`{"jsonrpc":"2.0","id":${id},"method":"tools/call","params":{"name":"echo","arguments":{"message":"deep ${depth}","nest":${nested(depth)}}${extra}}}`;
const MODERN_META = ',"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilities":{}}';

/**
How many arrays deep a parsed value of nested empty arrays goes, without recursion.
*/
const nestedDepthOf = (value: unknown) => {
	let depth = 0;
	for (let node = value; Array.isArray(node); node = node[0]) {
		depth++;
	}

	return depth;
};

const sseData = (text: string) => text.split('\n').filter(line => line.startsWith('data: ')).map(line => JSON.parse(line.slice(6)));

describe('deeply nested JSON', () => {
	const mcpd = mcpdForSuite(() => testConfig([server('fx')]));

	const post = async (body: string, headers: Record<string, string> = {}): Promise<Reply> =>
		fetchReply(mcpd.base, '/servers/fx/mcp', {method: 'POST', headers: {'content-type': 'application/json', accept: ACCEPT, ...headers}, body});

	async function open(protocolVersion: string): Promise<string> {
		const reply = await post(JSON.stringify({
			jsonrpc: '2.0', id: 0, method: 'initialize', params: {protocolVersion, capabilities: {}, clientInfo: {name: 'deep', version: '1'}},
		}));
		assert.equal(reply.status, 200, reply.text);
		const id = reply.headers.get('mcp-session-id')!;
		assert.equal((await post('{"jsonrpc":"2.0","method":"notifications/initialized"}', {'mcp-session-id': id})).status, 202);
		return id;
	}

	const echoed = (message: any) => message?.result?.content?.[0]?.text;

	const modern = async (body: string) => post(body, {'mcp-protocol-version': '2026-07-28', 'mcp-method': 'tools/call', 'mcp-name': 'echo'});

	test('a 2025-03-26 batch with an item nested 10,000 levels deep is relayed as written; other sessions carry on', async () => {
		assert.throws(() => JSON.stringify(JSON.parse(nested(10_000))), RangeError, 'the depth must be beyond what JSON.stringify can write');
		const old = await open('2025-03-26');
		const other = await open('2025-11-25');
		const reply = await post(`[${deepEcho(1, 10_000)}, {"jsonrpc":"2.0","id":2,"method":"ping"}]`, {'mcp-session-id': old});
		assert.equal(reply.status, 200, reply.text.slice(0, 300));
		const answers = sseData(reply.text).sort((a, b) => a.id - b.id);
		assert.deepEqual(answers.map(answer => answer.id), [1, 2]);
		assert.equal(echoed(answers[0]), 'deep 10000');
		assert.deepEqual(answers[1].result, {});

		// A single deep message was always relayed as written; it still is.
		assert.equal(echoed((await post(deepEcho(3, 10_000), {'mcp-session-id': old})).body), 'deep 10000');
		assert.equal(echoed((await post(deepEcho(4, 1), {'mcp-session-id': other})).body), 'deep 1');
		assert.equal(echoed((await post(deepEcho(5, 1), {'mcp-session-id': old})).body), 'deep 1');
		assert.equal(mcpd.supervisor.get(old)?.state, 'live');
	});

	test('a child\'s batch with an item nested 10,000 levels deep reaches the client as the child wrote it', async () => {
		const id = await open('2025-11-25');
		const reply = await post(JSON.stringify({
			jsonrpc: '2.0', id: 6, method: 'tools/call', params: {name: 'batch_reply', arguments: {depth: 10_000}},
		}), {'mcp-session-id': id});
		assert.equal(reply.status, 200, reply.text.slice(0, 300));
		assert.equal(reply.headers.get('content-type'), 'text/event-stream');
		const [log, answer] = sseData(reply.text);
		assert.equal(log.method, 'notifications/message');
		assert.equal(nestedDepthOf(log.params.data), 10_000);
		assert.equal(answer.id, 6);
		assert.equal(echoed(answer), 'batched');
		assert.equal(mcpd.supervisor.get(id)?.state, 'live');
	});

	test('a 2026-07-28 request nested deeper than 1000 levels gets 400 naming its depth; up to 1000 it is served', async () => {
		// The body, params and arguments add three levels to the nested arrays.
		const atLimit = await modern(deepEcho(10, 997, MODERN_META));
		assert.equal(atLimit.status, 200, atLimit.text.slice(0, 300));
		assert.equal(echoed(atLimit.body), 'deep 997');

		for (const [id, depth] of [[11, 998], [12, 10_000]]) {
			const refused = await modern(deepEcho(id, depth, MODERN_META));
			assert.equal(refused.status, 400, refused.text);
			assert.deepEqual(refused.body, {
				jsonrpc: '2.0',
				id,
				error: {code: -32_602, message: `Invalid params: the request nests ${depth + 3} levels deep; protocol 2026-07-28 requests may nest at most 1000`},
			});
		}

		// Nothing was left half-made: the identity's child serves the next call, with nothing in flight.
		assert.equal(echoed((await modern(deepEcho(13, 1, MODERN_META))).body), 'deep 1');
		const rows = mcpd.supervisor.sessions().filter(row => row.era === 'modern');
		assert.equal(rows.length, 1);
		assert.equal(rows[0].inFlight, 0);
		assert.deepEqual((await (await fetch(new URL('/healthz', mcpd.base))).json()), {status: 'ok'});
	});
});
