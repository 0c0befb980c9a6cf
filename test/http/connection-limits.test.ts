/**
 Slow, greedy and vanished clients, over real sockets: the header and
 request timeouts, the connection cap and TCP keep-alive.
 */
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {after, before, describe, test} from 'node:test';
import {setTimeout as sleep} from 'node:timers/promises';
import {server, startMcpd, testConfig, type Running} from '../helpers/mcpd.js';
import {assertNoNewChildren, descendants} from '../helpers/processes.js';
import {RawClient} from '../helpers/raw-http.js';
import {waitFor} from '../helpers/wait-for.js';

const ACCEPT = 'application/json, text/event-stream';

/**
Writes `text` one character every `everyMs` until the server closes the connection (or 5 s pass); resolves with the time that took.
*/
async function trickle(client: RawClient, text: string, everyMs: number): Promise<{elapsedMs: number; sent: number}> {
	const started = Date.now();
	let sent = 0;
	const timer = setInterval(() => {
		client.write(text[sent % text.length]);
		sent++;
	}, everyMs);
	const closed = await client.closesWithin(5000);
	clearInterval(timer);
	assert.ok(closed, `still open after 5 s and ${sent} bytes`);
	return {elapsedMs: Date.now() - started, sent};
}

describe('slow clients: http.headers_timeout and http.request_timeout', () => {
	let mcpd: Running;
	let childrenBefore: number[];

	before(async () => {
		childrenBefore = descendants();
		mcpd = await startMcpd(testConfig([server('fx')], {http: {headersTimeoutMs: 500, requestTimeoutMs: 1000}}));
	});

	after(async () => {
		await mcpd.close();
		await assertNoNewChildren(childrenBefore);
	});

	const expected408 = 'Request Timeout: the request must arrive in time: its headers within http.headers_timeout (0.5 s), all of it within http.request_timeout (1 s)';

	test('a client sending its headers a byte at a time is cut after headers_timeout with a JSON-RPC 408', async () => {
		const client = await RawClient.open(mcpd.base);
		client.write('POST /servers/fx/mcp HTTP/1.1\r\nHost: 127.0.0.1\r\n');
		const {elapsedMs, sent} = await trickle(client, 'X-Slow: yes\r\n', 50);
		assert.ok(elapsedMs >= 450 && elapsedMs < 2500, `cut after ${elapsedMs} ms`);
		// A byte every 50 ms: a few bytes arrived, so the timeout is not an idle cut (a loaded machine sends fewer).
		assert.ok(sent >= 3, `the client kept sending (${sent} bytes)`);
		const response = await client.response();
		assert.equal(response.status, 408);
		assert.deepEqual(response.json, {jsonrpc: '2.0', error: {code: -32_600, message: expected408}});
		assert.equal(mcpd.supervisor.sessions().length, 0);
	});

	test('a body sent slower than request_timeout is cut with a JSON-RPC 408, and no child is started', async () => {
		const client = await RawClient.open(mcpd.base);
		client.write(`POST /servers/fx/mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nAccept: ${ACCEPT}\r\nContent-Length: 1000\r\n\r\n`);
		const {elapsedMs} = await trickle(client, ' ', 50);
		assert.ok(elapsedMs >= 950 && elapsedMs < 3000, `cut after ${elapsedMs} ms`);
		const response = await client.response();
		assert.equal(response.status, 408);
		assert.equal(response.json.error.message, expected408);
		assert.equal(mcpd.supervisor.sessions().length, 0);
	});

	test('an idle keep-alive connection outlives headers_timeout and carries the next request', async () => {
		const client = await RawClient.open(mcpd.base);
		try {
			assert.equal((await client.get('/healthz')).status, 200);
			await sleep(1300);
			assert.equal(client.isClosed, false);
			assert.equal((await client.get('/healthz')).status, 200);
		} finally {
			client.close();
		}
	});

	test('answers and GET streams last longer than request_timeout', async () => {
		const post = async (body: unknown, headers: Record<string, string> = {}) => fetch(mcpd.url('fx'), {method: 'POST', headers: {'content-type': 'application/json', accept: ACCEPT, ...headers}, body: JSON.stringify(body)});
		const opened = await post({
			jsonrpc: '2.0', id: 1, method: 'initialize', params: {protocolVersion: '2025-11-25', capabilities: {}, clientInfo: {name: 'slow', version: '1'}},
		});
		const id = opened.headers.get('mcp-session-id')!;
		const controller = new AbortController();
		const stream = await fetch(mcpd.url('fx'), {headers: {accept: 'text/event-stream', 'mcp-session-id': id}, signal: controller.signal});
		assert.equal(stream.status, 200);
		const started = Date.now();
		const slow = await post({
			jsonrpc: '2.0', id: 2, method: 'tools/call', params: {name: 'sleep', arguments: {ms: 1600}},
		}, {'mcp-session-id': id});
		assert.ok(Date.now() - started >= 1600);
		assert.equal((await slow.json() as {result: {content: Array<{text: string}>}}).result.content[0].text, 'slept');
		// The GET stream, open all that time, still delivers.
		await post({
			jsonrpc: '2.0', id: 3, method: 'tools/call', params: {name: 'list_changed', arguments: {}},
		}, {'mcp-session-id': id});
		const reader = stream.body!.getReader();
		let seen = '';
		while (!seen.includes('notifications/tools/list_changed')) {
			const {done, value} = await reader.read();
			assert.ok(!done, `the GET stream ended: ${seen}`);
			seen += new TextDecoder().decode(value);
		}

		controller.abort();
	});
});

describe('http.max_connections', () => {
	let mcpd: Running;
	let childrenBefore: number[];
	const warnings: string[] = [];

	before(async () => {
		childrenBefore = descendants();
		// Only raw sockets talk to this mcpd, so every connection it holds is one of the test's.
		mcpd = await startMcpd(testConfig([server('fx')], {http: {maxConnections: 3}}));
		mcpd.supervisor.events.on('log', entry => {
			if (entry.level === 'warn') {
				warnings.push(`${entry.message} ${JSON.stringify(entry.fields)}`);
			}
		});
	});

	after(async () => {
		await mcpd.close();
		await assertNoNewChildren(childrenBefore);
	});

	const connections = async () => new Promise<number>((resolve, reject) => {
		mcpd.app.server.getConnections((error, count) => {
			if (error) {
				reject(error);
			} else {
				resolve(count);
			}
		});
	});

	test('the connection over the cap is closed at once; the ones under it keep working, and a freed place is taken again', async () => {
		const held = await Promise.all([1, 2, 3].map(async () => RawClient.open(mcpd.base)));
		try {
			for (const client of held) {
				assert.equal((await client.get('/healthz')).status, 200);
			}

			const refused = await RawClient.open(mcpd.base);
			refused.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
			assert.ok(await refused.closesWithin(2000), 'the connection over the cap is closed');
			assert.equal(refused.received, '', 'no HTTP answer on a refused connection');
			for (const client of held) {
				assert.equal((await client.get('/healthz')).status, 200);
			}

			await waitFor(() => warnings.some(line => line.startsWith('connections refused: http.max_connections reached {"maxConnections":3,"refused":1}')), {message: 'a warning'});

			held.pop()!.close();
			await waitFor(async () => (await connections()) === 2, {message: 'the server to see the connection closed'});
			const next = await RawClient.open(mcpd.base);
			held.push(next);
			assert.equal((await next.get('/healthz')).status, 200);
		} finally {
			for (const client of held) {
				client.close();
			}
		}
	});
});

describe('TCP keep-alive', () => {
	test('every accepted socket has SO_KEEPALIVE, first probe after 60 s idle', async () => {
		const childrenBefore = descendants();
		const mcpd = await startMcpd(testConfig([server('fx')]));
		const client = await RawClient.open(mcpd.base);
		try {
			assert.equal((await client.get('/healthz')).status, 200);
			// /proc/net/tcp lists `local remote state tx:rx timer:when`; timer 2 is the keep-alive timer, `when` in 1/100 s.
			const hex = (port: number) => port.toString(16).toUpperCase().padStart(4, '0');
			const local = `0100007F:${hex(Number(new URL(mcpd.base).port))}`;
			const remote = `0100007F:${hex(client.socket.localPort!)}`;
			const row = readFileSync('/proc/net/tcp', 'utf8').split('\n').map(line => line.trim().split(/\s+/)).find(fields => fields[1] === local && fields[2] === remote);
			assert.ok(row, 'the server side of the connection is listed');
			const [timer, when] = row[5].split(':', 2);
			assert.equal(timer, '02', `keep-alive timer armed (timer field ${row[5]})`);
			const seconds = Number.parseInt(when, 16) / 100;
			assert.ok(seconds > 50 && seconds <= 60, `first probe in ${seconds} s`);
		} finally {
			client.close();
			await mcpd.close();
			await assertNoNewChildren(childrenBefore);
		}
	});
});
