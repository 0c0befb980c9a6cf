/**
Session's routing with an in-memory child: no process, so each case takes milliseconds.
*/
import assert from 'node:assert/strict';
import {EventEmitter} from 'node:events';
import {test} from 'node:test';
import type {CoreEvents} from '../../source/core/events.js';
import {ErrorCode, type JsonRpcMessage} from '../../source/core/jsonrpc.js';
import {Session, type ClientSink, type Target} from '../../source/core/session.js';
import {server} from '../helpers/mcpd.js';
import {MemoryChild} from '../helpers/memory-child.js';

type Delivered = {message: JsonRpcMessage; target: Target};

function openSession() {
	const child = new MemoryChild();
	const events = new EventEmitter<CoreEvents>();
	const recorded: string[] = [];
	const session = new Session({
		id: 's1',
		server: server('mem'),
		child,
		events,
		latency: {
			record(_server, _session, method, _durationMs, ok) {
				recorded.push(`${method} ${ok ? 'ok' : 'failed'}`);
			},
		},
		killGraceMs: 50,
	});
	const delivered: Delivered[] = [];
	const abandoned: unknown[] = [];
	const closed: string[] = [];
	const sink: ClientSink = {
		deliver(_raw, message, target) {
			delivered.push({message, target});
			return true;
		},
		abandoned(id) {
			abandoned.push(id);
		},
		closed(reason) {
			closed.push(reason);
		},
	};
	session.attach(sink);
	const send = (message: JsonRpcMessage) => {
		session.fromClient(JSON.stringify(message), message);
	};

	return {
		child, events, session, delivered, abandoned, closed, recorded, send,
	};
}

/**
Until the session has read what the child printed.
*/
const settle = async () => new Promise(resolve => {
	setImmediate(resolve);
});

async function initialized() {
	const opened = openSession();
	opened.send({
		jsonrpc: '2.0', id: 0, method: 'initialize', params: {clientInfo: {name: 'probe', version: '1.2'}},
	});
	assert.equal((await opened.child.read()).method, 'initialize');
	opened.child.print({jsonrpc: '2.0', id: 0, result: {protocolVersion: '2025-06-18'}});
	await settle();
	return opened;
}

test('initialize: the answer goes to its request, and the session is live with the client named', async () => {
	const {session, delivered, recorded} = await initialized();
	assert.equal(session.state, 'live');
	assert.equal(session.info.clientName, 'probe');
	assert.equal(session.info.protocolVersion, '2025-06-18');
	assert.deepEqual(delivered.map(entry => entry.target), [{kind: 'response', id: 0}]);
	assert.deepEqual(recorded, ['initialize ok']);
	assert.equal(session.inFlight, 0);
});

test('an answer reaches the client before mcpd accounts for it (latency, request-finished)', async () => {
	const {child, events, session, send} = openSession();
	const order: string[] = [];
	session.attach({
		deliver(_raw, message) {
			order.push(`delivered ${String(message.id)}`);
			return true;
		},
		abandoned() {},
		closed() {},
	});
	events.on('request-finished', ({method}) => {
		order.push(`finished ${method}`);
	});
	send({
		jsonrpc: '2.0', id: 0, method: 'initialize', params: {},
	});
	await child.read();
	child.print({jsonrpc: '2.0', id: 0, result: {protocolVersion: '2025-06-18'}});
	await settle();
	assert.deepEqual(order, ['delivered 0', 'finished initialize']);
});

test('progress goes with the request whose token it carries; other notifications to the GET stream', async () => {
	const {child, delivered, send} = await initialized();
	send({
		jsonrpc: '2.0', id: 1, method: 'tools/call', params: {name: 'slow', _meta: {progressToken: 'p1'}},
	});
	await child.read();
	child.print({jsonrpc: '2.0', method: 'notifications/progress', params: {progressToken: 'p1', progress: 1}});
	child.print({jsonrpc: '2.0', method: 'notifications/tools/list_changed'});
	child.print({jsonrpc: '2.0', id: 1, result: {content: []}});
	await settle();
	assert.deepEqual(delivered.slice(1).map(entry => entry.target), [{kind: 'related', id: 1}, {kind: 'standalone'}, {kind: 'response', id: 1}]);
});

test('the child\'s ping is answered by mcpd itself', async () => {
	const {child, delivered} = await initialized();
	child.print({jsonrpc: '2.0', id: 'ping-1', method: 'ping'});
	assert.deepEqual(await child.read(), {jsonrpc: '2.0', id: 'ping-1', result: {}});
	assert.equal(delivered.length, 1, 'nothing reached the client');
});

test('a cancelled request is released at once, and its late answer dropped', async () => {
	const {child, delivered, abandoned, send, session} = await initialized();
	send({
		jsonrpc: '2.0', id: 2, method: 'tools/call', params: {name: 'slow'},
	});
	send({jsonrpc: '2.0', method: 'notifications/cancelled', params: {requestId: 2}});
	await child.read();
	assert.equal((await child.read()).method, 'notifications/cancelled', 'the child is told too');
	assert.deepEqual(abandoned, [2]);
	assert.equal(session.inFlight, 0);
	child.print({jsonrpc: '2.0', id: 2, result: {content: []}});
	await settle();
	assert.equal(delivered.length, 1, 'the late answer went nowhere');
});

test('a crash answers what was in flight with the child\'s exit, and closes the client end', async () => {
	const {child, delivered, closed, send, session, events} = await initialized();
	const ends: string[] = [];
	events.on('session-closed', event => ends.push(event.reason));
	send({
		jsonrpc: '2.0', id: 3, method: 'tools/call', params: {name: 'boom'},
	});
	await child.read();
	child.stderr.write('Traceback: boom\n');
	await settle();
	child.exit({exitCode: 1});
	await session.done;
	const answer = delivered.at(-1)!;
	assert.deepEqual(answer.target, {kind: 'response', id: 3});
	assert.equal(answer.message.error?.code, ErrorCode.serverExited);
	assert.deepEqual(closed, ['crash']);
	assert.deepEqual(ends, ['crash']);
	assert.equal(session.state, 'crashed');
	assert.deepEqual(session.end?.stderrTail, ['Traceback: boom']);
});

test('close ends the child (stdin, then SIGTERM) and reports why', async () => {
	const {child, session, closed} = await initialized();
	await session.close('killed');
	assert.deepEqual(child.signals, ['SIGTERM'], 'a child that ignores the closed stdin gets SIGTERM after the grace');
	assert.deepEqual(closed, ['killed']);
	assert.equal(session.state, 'closed');
});
