/**
 The late choice of an answer's form, over a real HTTP server on loopback: a
 lone answer is a JSON body, anything before it or a slow answer an SSE
 stream that the last answer owed ends; a keep-alive tick leaves young
 requests and a starting `initialize` alone; cancellation, a closed session
 and a client that hangs up end the answer as each calls for.
 */
import assert from 'node:assert/strict';
import {createServer, request as httpRequest, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse} from 'node:http';
import type {AddressInfo} from 'node:net';
import {test, type TestContext} from 'node:test';
import {ErrorCode, errorResponse, type JsonRpcId, type JsonRpcMessage} from '../../source/core/jsonrpc.js';
import {Exchange} from '../../source/http/exchange.js';
import {YOUNG_MS} from '../../source/http/keep-alive.js';
import {waitFor} from '../helpers/wait-for.js';

/**
A broken exchange leaves the client waiting; fail in seconds rather than hang the run.
*/
const quick = {timeout: 5000};

/**
Answers one request through an Exchange: a keep-alive tick `age` ms after it began, then `raw` as the answer to id 1.
*/
async function answer(t: TestContext, options: {sessionId?: string}, raw: string, age = YOUNG_MS + 1): Promise<{status: number; type: string | undefined; body: string}> {
	const {exchange, reply} = await trial(t, [1], options);
	const started = performance.now();
	const clock = t.mock.method(performance, 'now', () => started + age);
	exchange.keepAlive();
	clock.mock.restore();
	send(exchange, raw, 1);
	const {status, headers, body} = await reply;
	return {status, type: headers['content-type'], body};
}

test('a keep-alive tick turns a slow answer into SSE', quick, async t => {
	const reply = await answer(t, {}, '{"jsonrpc":"2.0","id":1,"result":{}}');
	assert.equal(reply.status, 200);
	assert.equal(reply.type, 'text/event-stream');
	assert.match(reply.body, /^: keep-alive\n\n/);
});

test('a tick that falls just after a request began leaves it alone: the answer is still plain JSON', quick, async t => {
	const reply = await answer(t, {}, '{"jsonrpc":"2.0","id":1,"result":{}}', 5);
	assert.deepEqual([reply.status, reply.type], [200, 'application/json']);
});

test('an initialize answer holds its headers through keep-alive: a start timeout is a 504, an exit a 502', quick, async t => {
	const timeout = await answer(t, {sessionId: 's'}, errorResponse(1, -32_001, 'did not answer initialize within start_timeout'));
	assert.deepEqual([timeout.status, timeout.type], [504, 'application/json']);
	assert.match(timeout.body, /start_timeout/);
	const exited = await answer(t, {sessionId: 's'}, errorResponse(1, -32_000, 'exited (exit code 1)'));
	assert.equal(exited.status, 502);
	const ok = await answer(t, {sessionId: 's'}, '{"jsonrpc":"2.0","id":1,"result":{"protocolVersion":"2025-11-25"}}');
	assert.deepEqual([ok.status, ok.type], [200, 'application/json']);
});

/**
What the client saw of one POST, read over a real socket.
*/
type Reply = {
	status: number;
	headers: IncomingHttpHeaders;
	body: string;
	/**
	Whether the body ended as HTTP says it should (not cut off by a closed connection).
	*/
	complete: boolean;
};

/**
 One POST in flight whose answer the test writes through an Exchange, a step
 at a time, while watching what the client has received so far.
 */
type Trial = {
	exchange: Exchange;
	/**
	The server's side of the POST.
	*/
	response: ServerResponse;
	/**
	Resolves once the client has the status line and headers.
	*/
	headers: Promise<Reply>;
	/**
	Resolves once the client's response has closed, whole or cut off.
	*/
	reply: Promise<Reply>;
	/**
	The body the client has received so far.
	*/
	received(): string;
	/**
	The client drops the connection; resolves once the server has seen it go.
	*/
	hangUp(): Promise<void>;
};

/**
Opens a POST to a fresh server, which answers it through `new Exchange(response, ids, options)`; the server is closed after the test.
*/
async function trial(t: TestContext, ids: JsonRpcId[], options: {sessionId?: string} = {}): Promise<Trial> {
	const server = createServer();
	const arrived = new Promise<ServerResponse>(resolve => {
		server.once('request', (_request, response: ServerResponse) => {
			resolve(response);
		});
	});
	t.after(() => {
		server.closeAllConnections();
		server.close();
	});
	await new Promise<void>(resolve => {
		server.listen(0, '127.0.0.1', resolve);
	});
	const {port} = server.address() as AddressInfo;
	const request = httpRequest({
		host: '127.0.0.1', port, method: 'POST', agent: false,
	});
	// The hang-up tests reset the connection on purpose.
	request.on('error', () => undefined);
	let body = '';
	const seen = (incoming: IncomingMessage): Reply => ({
		status: incoming.statusCode ?? 0, headers: incoming.headers, body, complete: incoming.complete,
	});
	const responded = new Promise<IncomingMessage>(resolve => {
		request.once('response', resolve);
	});
	const seenHeaders = responded.then(incoming => {
		incoming.setEncoding('utf8');
		incoming.on('data', (chunk: string) => {
			body += chunk;
		});
		return seen(incoming);
	});
	const seenReply = responded.then(async incoming => new Promise<Reply>(resolve => {
		incoming.once('close', () => {
			resolve(seen(incoming));
		});
	}));
	request.end('{}');
	const response = await arrived;
	return {
		exchange: new Exchange(response, ids, options),
		response,
		headers: seenHeaders,
		reply: seenReply,
		received: () => body,
		async hangUp() {
			const gone = new Promise(resolve => {
				response.once('close', resolve);
			});
			request.destroy();
			await gone;
		},
	};
}

/**
Sends `raw` through the exchange, parsing it the way the session does.
*/
function send(exchange: Exchange, raw: string, answers?: JsonRpcId): boolean {
	return exchange.send(raw, JSON.parse(raw) as JsonRpcMessage, answers);
}

/**
The bytes one message takes on an SSE stream.
*/
function event(raw: string): string {
	return `event: message\ndata: ${raw}\n\n`;
}

const progress = '{"jsonrpc":"2.0","method":"notifications/progress","params":{"progressToken":"p","progress":1,"total":2}}';
const log = '{"jsonrpc":"2.0","method":"notifications/message","params":{"level":"info","data":"starting"}}';
const result = (id: JsonRpcId): string => `{"jsonrpc":"2.0","id":${JSON.stringify(id)},"result":{"content":[]}}`;

test('the lone answer owed, sent first, goes out as plain JSON: the text as the child wrote it, its length in bytes', quick, async t => {
	const {exchange, reply} = await trial(t, [7]);
	// Spacing, key order, escapes and a number beyond a double's precision that a re-serialisation would change; multi-byte characters make bytes differ from UTF-16 units.
	const raw = String.raw`{ "result" : {"text":"caf\u00e9 é 🎉","big":12345678901234567890}, "id":7, "jsonrpc":"2.0" }`;
	const message = Object.freeze(JSON.parse(raw) as JsonRpcMessage);
	assert.equal(exchange.send(raw, message, 7), true);
	assert.equal(exchange.open, false);
	const seen = await reply;
	assert.equal(seen.status, 200);
	assert.equal(seen.headers['content-type'], 'application/json');
	assert.equal(seen.headers['content-length'], String(Buffer.byteLength(raw)));
	assert.equal(seen.headers['mcp-session-id'], undefined);
	assert.equal(seen.body, raw);
	assert.equal(seen.complete, true);
});

test('an error answer to an ordinary request is still a 200 JSON body: only initialize maps errors to HTTP statuses', quick, async t => {
	const {exchange, reply} = await trial(t, ['a']);
	const raw = errorResponse('a', ErrorCode.serverExited, 'exited (exit code 1)');
	send(exchange, raw, 'a');
	const seen = await reply;
	assert.deepEqual([seen.status, seen.headers['content-type'], seen.body], [200, 'application/json', raw]);
});

test('a notification before the answer switches to SSE at once; the answer is then the last event and ends the stream', quick, async t => {
	const {exchange, headers, reply, received} = await trial(t, [1]);
	assert.equal(send(exchange, progress), true);
	// The client has headers and the first event while the answer is still owed.
	const early = await headers;
	assert.equal(early.status, 200);
	assert.equal(early.headers['content-type'], 'text/event-stream');
	assert.equal(early.headers['cache-control'], 'no-cache, no-transform');
	assert.equal(early.headers['x-accel-buffering'], 'no');
	assert.equal(early.headers['content-length'], undefined);
	await waitFor(() => received() === event(progress), {message: 'the progress event'});
	assert.equal(exchange.open, true);

	assert.equal(send(exchange, result(1), 1), true);
	assert.equal(exchange.open, false);
	const seen = await reply;
	assert.equal(seen.body, event(progress) + event(result(1)));
	assert.equal(seen.complete, true);
});

test('a server request before the answer also switches to SSE: its own id is not the one owed', quick, async t => {
	const {exchange, reply} = await trial(t, [1]);
	// The child asks the client something while the client's request is pending; the id here is the child's.
	const sampling = '{"jsonrpc":"2.0","id":1,"method":"sampling/createMessage","params":{"messages":[],"maxTokens":1}}';
	send(exchange, sampling);
	assert.equal(exchange.open, true);
	send(exchange, result(1), 1);
	assert.equal((await reply).body, event(sampling) + event(result(1)));
});

test('a large answer after a notification arrives whole as one event', quick, async t => {
	const {exchange, reply} = await trial(t, [1]);
	const raw = `{"jsonrpc":"2.0","id":1,"result":{"text":"${'x'.repeat(200_000)}"}}`;
	send(exchange, log);
	send(exchange, raw, 1);
	const seen = await reply;
	assert.equal(seen.body, event(log) + event(raw));
	assert.equal(seen.complete, true);
});

test('a batch owing several answers streams them as they come, in any order, and ends with the last one owed', quick, async t => {
	const {exchange, headers, reply, received} = await trial(t, [1, 'two', 3]);
	// The first thing sent is an answer, but not the last owed: the POST cannot be one JSON body.
	send(exchange, result('two'), 'two');
	assert.equal((await headers).headers['content-type'], 'text/event-stream');
	assert.equal(exchange.open, true);
	send(exchange, progress);
	send(exchange, result(3), 3);
	assert.equal(exchange.open, true);
	await waitFor(() => received() === event(result('two')) + event(progress) + event(result(3)), {message: 'three events'});

	send(exchange, result(1), 1);
	assert.equal(exchange.open, false);
	const seen = await reply;
	assert.equal(seen.body, event(result('two')) + event(progress) + event(result(3)) + event(result(1)));
	assert.equal(seen.complete, true);
});

test('an answer counts once: a second answer to the same id does not end a batch that still owes another', quick, async t => {
	const {exchange, reply} = await trial(t, [1, 2]);
	send(exchange, result(1), 1);
	send(exchange, result(1), 1);
	assert.equal(exchange.open, true);
	send(exchange, result(2), 2);
	assert.equal(exchange.open, false);
	assert.equal((await reply).body, event(result(1)) + event(result(1)) + event(result(2)));
});

test('an answer to an id this POST does not owe is relayed like any other message and settles nothing', quick, async t => {
	const {exchange, headers, reply} = await trial(t, [1]);
	assert.equal(send(exchange, result(9), 9), true);
	// Not the answer owed, so not a JSON body, and the POST stays open for id 1.
	assert.equal((await headers).headers['content-type'], 'text/event-stream');
	assert.equal(exchange.open, true);
	send(exchange, result(1), 1);
	assert.equal((await reply).body, event(result(9)) + event(result(1)));
});

test('once answered, the exchange sends nothing more: send is false, keep-alive and end leave the body alone', quick, async t => {
	const {exchange, response, reply} = await trial(t, [1]);
	send(exchange, result(1), 1);
	assert.equal(send(exchange, progress), false);
	assert.equal(send(exchange, result(1), 1), false);
	exchange.keepAlive();
	exchange.end();
	assert.equal(response.writableEnded, true);
	assert.equal((await reply).body, result(1));
});

test('a client that hangs up before anything is sent: the exchange is closed and send reports it', quick, async t => {
	const {exchange, response, hangUp} = await trial(t, [1]);
	assert.equal(exchange.open, true);
	await hangUp();
	assert.equal(exchange.open, false);
	assert.equal(send(exchange, progress), false);
	assert.equal(send(exchange, result(1), 1), false);
	exchange.keepAlive();
	exchange.end();
	assert.equal(response.headersSent, false);
});

test('a client that hangs up mid-stream: later messages report false, and the stream it read was cut off', quick, async t => {
	const {exchange, reply, received, hangUp} = await trial(t, [1]);
	send(exchange, progress);
	await waitFor(() => received() === event(progress), {message: 'the progress event'});
	await hangUp();
	assert.equal(exchange.open, false);
	assert.equal(send(exchange, log), false);
	assert.equal(send(exchange, result(1), 1), false);
	exchange.end();
	const seen = await reply;
	assert.equal(seen.body, event(progress));
	assert.equal(seen.complete, false);
});

test('the initialize answer names the new session in Mcp-Session-Id', quick, async t => {
	const {exchange, reply} = await trial(t, [0], {sessionId: 'session-1'});
	const raw = '{"jsonrpc":"2.0","id":0,"result":{"protocolVersion":"2025-06-18","capabilities":{},"serverInfo":{"name":"x","version":"1"}}}';
	send(exchange, raw, 0);
	const seen = await reply;
	assert.deepEqual([seen.status, seen.headers['content-type'], seen.headers['mcp-session-id'], seen.body], [200, 'application/json', 'session-1', raw]);
});

test('a failed initialize names no session, whatever its status', quick, async t => {
	for (const [code, status] of [[ErrorCode.serverExited, 502], [ErrorCode.requestTimeout, 504], [ErrorCode.internalError, 200]] as const) {
		const {exchange, reply} = await trial(t, [0], {sessionId: 'session-1'});
		const raw = errorResponse(0, code, 'failed');
		send(exchange, raw, 0);
		const seen = await reply;
		assert.deepEqual([seen.status, seen.headers['mcp-session-id'], seen.body], [status, undefined, raw], `error ${code}`);
	}
});

test('an initialize that turns into SSE sends Mcp-Session-Id with the stream headers', quick, async t => {
	const {exchange, headers, reply} = await trial(t, [0], {sessionId: 'session-1'});
	send(exchange, log);
	const early = await headers;
	assert.deepEqual([early.status, early.headers['content-type'], early.headers['mcp-session-id']], [200, 'text/event-stream', 'session-1']);
	send(exchange, result(0), 0);
	assert.equal((await reply).body, event(log) + event(result(0)));
});

test('an initialize still waiting when fetch would give up on headers (300 s) switches to SSE, still naming the session', quick, async t => {
	const {exchange, headers, reply} = await trial(t, [0], {sessionId: 'session-1'});
	const started = performance.now();
	const clock = t.mock.method(performance, 'now', () => started + 300_000);
	exchange.keepAlive();
	clock.mock.restore();
	const early = await headers;
	assert.deepEqual([early.headers['content-type'], early.headers['mcp-session-id']], ['text/event-stream', 'session-1']);
	send(exchange, result(0), 0);
	assert.equal((await reply).body, ': keep-alive\n\n' + event(result(0)));
});

test('once streaming, every keep-alive tick writes a comment, however young the request', quick, async t => {
	const {exchange, reply} = await trial(t, [1]);
	send(exchange, progress);
	exchange.keepAlive();
	exchange.keepAlive();
	send(exchange, result(1), 1);
	assert.equal((await reply).body, event(progress) + ': keep-alive\n\n: keep-alive\n\n' + event(result(1)));
});

test('forgetting a cancelled request of a batch: the other answer, if it comes first, is still plain JSON', quick, async t => {
	const {exchange, reply} = await trial(t, [1, 2]);
	exchange.forget(1);
	assert.equal(exchange.open, true);
	send(exchange, result(2), 2);
	const seen = await reply;
	assert.deepEqual([seen.headers['content-type'], seen.body], ['application/json', result(2)]);
});

test('forgetting the last request owed before anything was sent ends the POST with 204 and no body', quick, async t => {
	const {exchange, reply} = await trial(t, [1]);
	exchange.forget(1);
	assert.equal(exchange.open, false);
	const seen = await reply;
	assert.deepEqual([seen.status, seen.body, seen.complete], [204, '', true]);
	assert.equal(send(exchange, result(1), 1), false);
});

test('forgetting the last request owed on a stream ends the stream after what was sent', quick, async t => {
	const {exchange, reply} = await trial(t, [1, 2]);
	send(exchange, progress);
	send(exchange, result(2), 2);
	exchange.forget(1);
	assert.equal(exchange.open, false);
	const seen = await reply;
	assert.deepEqual([seen.status, seen.body, seen.complete], [200, event(progress) + event(result(2)), true]);
});

test('end (the session closed) answers a waiting POST with 204, ends a stream, and is safe to repeat', quick, async t => {
	const waiting = await trial(t, [1]);
	waiting.exchange.end();
	waiting.exchange.end();
	assert.equal(waiting.exchange.open, false);
	assert.deepEqual([(await waiting.reply).status, (await waiting.reply).body], [204, '']);

	const streaming = await trial(t, [1]);
	send(streaming.exchange, progress);
	streaming.exchange.end();
	streaming.exchange.end();
	assert.equal(streaming.exchange.open, false);
	const seen = await streaming.reply;
	assert.deepEqual([seen.status, seen.body, seen.complete], [200, event(progress), true]);
});
