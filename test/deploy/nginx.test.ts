/**
 Deploy/nginx.conf, as shipped, in front of two mcpd instances on loopback:
 sessions stay on the instance that made them, identities stay put, and a
 stopped instance's clients are told to start again (legacy) or get a fresh
 child on the other (modern).
 */
import assert from 'node:assert/strict';
import {spawn, spawnSync, type ChildProcess} from 'node:child_process';
import {once} from 'node:events';
import {mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {createServer} from 'node:net';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {after, before, describe, test} from 'node:test';
import {fileURLToPath} from 'node:url';
import {server, startMcpd, testConfig, type Running} from '../helpers/mcpd.js';
import {assertNoNewChildren, descendants} from '../helpers/processes.js';
import {waitFor} from '../helpers/wait-for.js';

const SHIPPED = readFileSync(fileURLToPath(new URL('../../deploy/nginx.conf', import.meta.url)), 'utf8');
const NGINX = ['/usr/sbin/nginx', '/usr/bin/nginx'].find(candidate => spawnSync(candidate, ['-v']).status === 0);
const ACCEPT = 'application/json, text/event-stream';

async function freePort(): Promise<number> {
	const probe = createServer();
	probe.listen(0, '127.0.0.1');
	await once(probe, 'listening');
	const {port} = probe.address() as {port: number};
	probe.close();
	await once(probe, 'close');
	return port;
}

describe('two instances behind nginx with deploy/nginx.conf', {skip: NGINX === undefined && 'nginx is not installed (.ci/run installs it)'}, () => {
	let a: Running;
	let b: Running;
	let nginx: ChildProcess;
	let base: string;
	let childrenBefore: number[];
	const directory = mkdtempSync(path.join(tmpdir(), 'mcpd-nginx-'));

	const instance = async (id: string) => startMcpd(testConfig([server('fx', {headerEnv: {'x-user': 'USER'}})], {http: {instanceId: id}}));

	before(async () => {
		childrenBefore = descendants();
		[a, b] = [await instance('a'), await instance('b')];
		const port = await freePort();
		base = `http://127.0.0.1:${port}`;
		const site = SHIPPED
			.replaceAll('127.0.0.1:3001', new URL(a.base).host)
			.replaceAll('127.0.0.1:3002', new URL(b.base).host)
			.replace('listen 127.0.0.1:8080', `listen 127.0.0.1:${port}`)
			.replace('$http_x_openai_key', '$http_x_user');
		for (const temporary of ['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) {
			mkdirSync(path.join(directory, temporary));
		}

		writeFileSync(path.join(directory, 'site.conf'), site);
		writeFileSync(path.join(directory, 'nginx.conf'), [
			'daemon off;',
			'worker_processes 1;',
			`pid ${directory}/nginx.pid;`,
			`error_log ${directory}/error.log warn;`,
			'events { worker_connections 512; }',
			'http {',
			'	access_log off;',
			...['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map(temporary => `	${temporary === 'body' ? 'client_body' : temporary}_temp_path ${directory}/${temporary};`),
			`	include ${directory}/site.conf;`,
			'}',
		].join('\n'));
		nginx = spawn(NGINX!, ['-p', directory, '-c', path.join(directory, 'nginx.conf')], {stdio: ['ignore', 'ignore', 'pipe']});
		await waitFor(async () => (await fetch(new URL('/healthz', base)).catch(() => undefined))?.ok, {timeout: 10_000, message: 'nginx up'});
	});

	after(async () => {
		nginx.kill('SIGTERM');
		await once(nginx, 'exit');
		await Promise.allSettled([a.close(), b.close()]);
		rmSync(directory, {recursive: true, force: true});
		await assertNoNewChildren(childrenBefore);
	});

	const post = async (body: unknown, headers: Record<string, string> = {}) => fetch(new URL('/servers/fx/mcp', base), {
		method: 'POST',
		headers: {'content-type': 'application/json', accept: ACCEPT, ...headers},
		body: JSON.stringify(body),
	});

	const initialize = {
		jsonrpc: '2.0', id: 1, method: 'initialize', params: {protocolVersion: '2025-11-25', capabilities: {}, clientInfo: {name: 'lb', version: '1'}},
	};
	const echo = (id: number, message: string) => ({
		jsonrpc: '2.0', id, method: 'tools/call', params: {name: 'echo', arguments: {message}},
	});
	const modernPid = async (user: string, id: number) => post({
		jsonrpc: '2.0', id, method: 'tools/call', params: {name: 'pid', arguments: {}, _meta: {'io.modelcontextprotocol/protocolVersion': '2026-07-28', 'io.modelcontextprotocol/clientCapabilities': {}}},
	}, {
		'mcp-protocol-version': '2026-07-28', 'mcp-method': 'tools/call', 'mcp-name': 'pid', 'x-user': user,
	});
	/**
	The pid a `pid` call answered, from a JSON answer or the last event of an SSE one.
	*/
	const pidText = async (response: Response) => {
		const text = await response.text();
		const json = response.headers.get('content-type')?.startsWith('text/event-stream') ? text.split('\n').findLast(line => line.startsWith('data: '))!.slice(6) : text;
		return (JSON.parse(json) as {result: {content: Array<{text: string}>}}).result.content[0].text;
	};

	const sessions: string[] = [];

	test('100 legacy sessions are spread over both instances and each stays on its own', async () => {
		for (let i = 0; i < 100; i++) {
			const response = await post(initialize);
			assert.equal(response.status, 200);
			await response.text();
			sessions.push(response.headers.get('mcp-session-id')!);
		}

		const onA = sessions.filter(id => id.startsWith('a-'));
		const onB = sessions.filter(id => id.startsWith('b-'));
		assert.equal(onA.length + onB.length, 100);
		assert.ok(onA.length >= 20 && onB.length >= 20, `balanced: ${onA.length} on a, ${onB.length} on b`);
		await Promise.all(sessions.map(async (id, index) => {
			const response = await post(echo(2, `s${index}`), {'mcp-session-id': id});
			assert.equal(response.status, 200, `session ${id}`);
			assert.match(await response.text(), new RegExp(`"s${index}"`));
		}));
		assert.deepEqual(new Set(a.supervisor.sessions().map(row => row.id)), new Set(onA));
		assert.deepEqual(new Set(b.supervisor.sessions().map(row => row.id)), new Set(onB));
	});

	test('a modern identity\'s requests all reach one child on one instance', async () => {
		for (const user of ['ann', 'bob', 'cyd', 'dee', 'eve', 'fay']) {
			const pids = new Set<string>();
			for (let i = 0; i < 4; i++) {
				pids.add(await pidText(await modernPid(user, i)));
			}

			assert.equal(pids.size, 1, `${user}: one child`);
		}

		const modernOn = (running: Running) => running.supervisor.sessions().filter(row => row.era === 'modern').length;
		assert.equal(modernOn(a) + modernOn(b), 6);
	});

	test('an input round\'s requestState says which instance issued it when a retry lands elsewhere', async () => {
		const state = a.supervisor.requestState.mint({
			child: 'x', call: 1, round: 1, identity: 'fx:', method: 'tools/call', name: 'pid', expires: Date.now() + 60_000,
		});
		const response = await fetch(new URL('/servers/fx/mcp', b.base), {
			method: 'POST',
			headers: {
				'content-type': 'application/json', accept: ACCEPT, 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'tools/call', 'mcp-name': 'pid',
			},
			body: JSON.stringify({
				jsonrpc: '2.0', id: 9, method: 'tools/call', params: {
					name: 'pid', arguments: {}, requestState: state, inputResponses: {}, _meta: {'io.modelcontextprotocol/protocolVersion': '2026-07-28', 'io.modelcontextprotocol/clientCapabilities': {}},
				},
			}),
		});
		assert.equal(response.status, 400);
		assert.match(((await response.json()) as {error: {message: string}}).error.message, /issued by mcpd instance "a", not this one \("b"\)/);
	});

	test('stopping an instance: its sessions get 404 from the other, its identities a fresh child there', async () => {
		const users = ['ann', 'bob', 'cyd', 'dee', 'eve', 'fay'];
		const before = new Map<string, string>();
		for (const user of users) {
			before.set(user, await pidText(await modernPid(user, 20)));
		}

		const modernOnA = new Set(a.supervisor.sessions().filter(row => row.era === 'modern').map(row => String(row.pid)));
		await a.close();
		const orphan = sessions.find(id => id.startsWith('a-'))!;
		const lost = await post(echo(3, 'lost'), {'mcp-session-id': orphan});
		assert.equal(lost.status, 404);
		assert.equal(((await lost.json()) as {error: {code: number}}).error.code, -32_002);
		const kept = sessions.find(id => id.startsWith('b-'))!;
		assert.equal((await post(echo(4, 'kept'), {'mcp-session-id': kept})).status, 200);
		for (const user of users) {
			const after = await pidText(await modernPid(user, 21));
			if (modernOnA.has(before.get(user)!)) {
				assert.notEqual(after, before.get(user), `${user} moved to a fresh child`);
			} else {
				assert.equal(after, before.get(user), `${user} stayed on b`);
			}
		}
	});
});
