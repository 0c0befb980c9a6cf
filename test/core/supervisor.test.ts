/**
The supervisor's bookkeeping with children in memory: no process, so each case takes milliseconds.
*/
import assert from 'node:assert/strict';
import {test} from 'node:test';
import type {ServerConfig} from '../../source/config/types.js';
import {OpenError} from '../../source/core/errors.js';
import {Supervisor} from '../../source/core/supervisor.js';
import {server, testConfig} from '../helpers/mcpd.js';
import {MemoryChild} from '../helpers/memory-child.js';

function start(servers: ServerConfig[], maxTotal = 0) {
	const children: MemoryChild[] = [];
	const supervisor = new Supervisor(testConfig(servers, {sessions: {maxTotal}}), {}, '0.0.0-test', () => {
		const child = new MemoryChild();
		children.push(child);
		return child;
	});
	const events: string[] = [];
	supervisor.events.on('session-opened', event => {
		events.push(`opened ${event.server}`);
	});
	supervisor.events.on('session-closed', event => {
		events.push(`closed ${event.server} ${event.reason}`);
	});
	return {supervisor, children, events};
}

const refused = (code: OpenError['code']) => (error: unknown) => error instanceof OpenError && error.code === code;

test('a child per session, and max_sessions refuses the next until one ends', async () => {
	const {supervisor, children, events} = start([server('mem', {maxSessions: 2})]);
	const first = await supervisor.open('mem');
	const second = await supervisor.open('mem');
	assert.equal(children.length, 2);
	assert.deepEqual(supervisor.sessions().map(s => s.id), [first.id, second.id]);
	await assert.rejects(supervisor.open('mem'), refused('capacity'));
	assert.equal(children.length, 2, 'a refused session spawns nothing');

	assert.equal(await supervisor.kill(first.id), 'killed');
	assert.deepEqual(children[0].signals, ['SIGTERM']);
	assert.equal(await supervisor.kill(first.id), 'not-found');
	await supervisor.open('mem');
	assert.equal(children.length, 3, 'the ended session made room');
	assert.deepEqual(events, ['opened mem', 'opened mem', 'closed mem killed', 'opened mem']);
	assert.equal(supervisor.servers()[0].spawned, 3);
	await supervisor.shutdown();
});

test('max_total counts every server\'s sessions', async () => {
	const {supervisor} = start([server('a'), server('b')], 2);
	await supervisor.open('a');
	await supervisor.open('b');
	await assert.rejects(supervisor.open('a'), refused('capacity'));
	await assert.rejects(supervisor.open('b'), refused('capacity'));
	await supervisor.shutdown();
});

test('unknown and disabled servers are refused before anything starts', async () => {
	const {supervisor, children} = start([server('off', {enabled: false})]);
	await assert.rejects(supervisor.open('nope'), refused('unknown-server'));
	await assert.rejects(supervisor.open('off'), refused('disabled'));
	assert.equal(children.length, 0);
	await supervisor.shutdown();
});

test('a child that exits unasked is a crash, counted for its server', async () => {
	const {supervisor, children, events} = start([server('mem')]);
	const session = await supervisor.open('mem');
	children[0].exit({exitCode: 1});
	await session.done;
	assert.equal(session.state, 'crashed');
	assert.equal(supervisor.servers()[0].crashes, 1);
	assert.equal(supervisor.sessions().length, 0);
	assert.deepEqual(events, ['opened mem', 'closed mem crash']);
	await supervisor.shutdown();
});

test('shutdown ends every child and then refuses new sessions', async () => {
	const {supervisor, children} = start([server('mem')]);
	await supervisor.open('mem');
	await supervisor.open('mem');
	await supervisor.shutdown();
	assert.deepEqual(children.map(child => child.signals), [['SIGTERM'], ['SIGTERM']]);
	assert.equal(supervisor.sessions().length, 0);
	await assert.rejects(supervisor.open('mem'), refused('shutting-down'));
});

test('crash_limit failed starts quarantine the server: opens are refused until the quarantine is over', async () => {
	const {supervisor, children} = start([server('mem', {crashLimit: 2, backoffMaxMs: 30})]);
	const states: string[] = [];
	supervisor.events.on('server-state', event => {
		states.push(event.state);
	});
	const failedStart = async () => {
		const session = await supervisor.open('mem');
		children.at(-1)!.exit({exitCode: 1});
		await session.done;
	};

	await failedStart();
	await failedStart();

	assert.deepEqual(states, ['quarantined']);
	assert.equal(supervisor.servers()[0].state, 'quarantined');
	await assert.rejects(supervisor.open('mem'), refused('quarantined'));
	assert.equal(children.length, 2, 'a quarantined server spawns nothing');
	// Past the quarantine and the back-off, both capped at 30 ms.
	await new Promise(resolve => {
		setTimeout(resolve, 100);
	});
	assert.deepEqual(states, ['quarantined', 'ready']);
	await supervisor.open('mem');
	assert.equal(children.length, 3, 'the trial start after it');
	await supervisor.shutdown();
});

test('a server\'s args are listed as the config wrote them, not with the keys ${env:...} put in', async () => {
	const {supervisor} = start([server('mem', {args: ['--key', 'sk-expanded'], argsAsWritten: ['--key', '${env:API_KEY}']}), server('plain', {args: ['--root', '/srv']})]);
	assert.deepEqual(supervisor.servers().map(info => info.args), [['--key', '${env:API_KEY}'], ['--root', '/srv']]);
	await supervisor.shutdown();
});
