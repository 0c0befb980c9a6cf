/**
 The late choice of an answer's form, over a real HTTP server: a keep-alive
 tick turns a slow answer into an SSE stream, except an `initialize` whose
 child is still starting, which keeps its status for a failed start.
 */
import assert from 'node:assert/strict';
import {createServer, type ServerResponse} from 'node:http';
import type {AddressInfo} from 'node:net';
import {mock, test} from 'node:test';
import {errorResponse, type JsonRpcMessage} from '../../source/core/jsonrpc.js';
import {Exchange} from '../../source/http/exchange.js';
import {YOUNG_MS} from '../../source/http/keep-alive.js';

/**
Answers one request through an Exchange: a keep-alive tick `age` ms after it began, then `raw` as the answer to id 1.
*/
async function answer(options: {sessionId?: string}, raw: string, age = YOUNG_MS + 1): Promise<{status: number; type: string | null; body: string}> {
	const server = createServer((_request, response: ServerResponse) => {
		const exchange = new Exchange(response, [1], options);
		const started = performance.now();
		const clock = mock.method(performance, 'now', () => started + age);
		exchange.keepAlive();
		clock.mock.restore();
		exchange.send(raw, JSON.parse(raw) as JsonRpcMessage, 1);
	});
	await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
	try {
		const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
		return {status: response.status, type: response.headers.get('content-type'), body: await response.text()};
	} finally {
		server.close();
	}
}

test('a keep-alive tick turns a slow answer into SSE', async () => {
	const reply = await answer({}, '{"jsonrpc":"2.0","id":1,"result":{}}');
	assert.equal(reply.status, 200);
	assert.equal(reply.type, 'text/event-stream');
	assert.match(reply.body, /^: keep-alive\n\n/);
});

test('a tick that falls just after a request began leaves it alone: the answer is still plain JSON', async () => {
	const reply = await answer({}, '{"jsonrpc":"2.0","id":1,"result":{}}', 5);
	assert.deepEqual([reply.status, reply.type], [200, 'application/json']);
});

test('an initialize answer holds its headers through keep-alive: a start timeout is a 504, an exit a 502', async () => {
	const timeout = await answer({sessionId: 's'}, errorResponse(1, -32_001, 'did not answer initialize within start_timeout'));
	assert.deepEqual([timeout.status, timeout.type], [504, 'application/json']);
	assert.match(timeout.body, /start_timeout/);
	const exited = await answer({sessionId: 's'}, errorResponse(1, -32_000, 'exited (exit code 1)'));
	assert.equal(exited.status, 502);
	const ok = await answer({sessionId: 's'}, '{"jsonrpc":"2.0","id":1,"result":{"protocolVersion":"2025-11-25"}}');
	assert.deepEqual([ok.status, ok.type], [200, 'application/json']);
});
