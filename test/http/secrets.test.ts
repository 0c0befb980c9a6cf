/**
 Secrets never leak: the bearer token, a server's `env` value and the
 `header_env` keys of legacy and modern clients (an MRTR round and a crash
 among them) appear in nothing mcpd puts out: its events, the headless log,
 /status, the dashboard store's snapshots, or any HTTP answer (headers and
 bodies, refusals and crash reports with stderr tails included). And nothing
 in a request changes what is spawned: the child runs the configured command
 with the configured arguments, whatever the request names.
 */
import assert from 'node:assert/strict';
import {randomBytes} from 'node:crypto';
import {existsSync, mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, before, describe, test} from 'node:test';
import {Client} from '@modelcontextprotocol/sdk/client/index.js';
import {StreamableHTTPClientTransport} from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import {Client as ModernClient, StreamableHTTPClientTransport as ModernTransport} from '@modelcontextprotocol/client';
import type {CoreEvents} from '../../source/core/events.js';
import {attachLogger} from '../../source/headless/logger.js';
import {createDashboardStore, type DashboardStore} from '../../source/store/index.js';
import {FIXTURE, server, startMcpd, testConfig, type Running} from '../helpers/mcpd.js';
import {assertNoNewChildren, descendants} from '../helpers/processes.js';

const secret = (label: string) => `${label}-${randomBytes(12).toString('hex')}`;
const SECRETS = {
	token: secret('tok'),
	serverEnv: secret('srv'),
	legacyKey: secret('legacy'),
	modernKey: secret('modern'),
	mrtrKey: secret('mrtr'),
};

const ACCEPT = 'application/json, text/event-stream';
const VERSION = '2026-07-28';
const ENVELOPE = {'io.modelcontextprotocol/protocolVersion': VERSION, 'io.modelcontextprotocol/clientCapabilities': {sampling: {}}};
const EVENTS: Array<keyof CoreEvents> = [
	'server-state',
	'session-opened',
	'session-state',
	'session-closed',
	'request-started',
	'request-finished',
	'stderr',
	'stdout-noise',
	'undeliverable',
	'unattributed',
	'log',
];

/**
Maps and Sets as plain JSON, so nothing in a snapshot is skipped by the scan.
*/
const replacer = (_key: string, value: unknown) => value instanceof Map ? Object.fromEntries(value) : (value instanceof Set ? [...value] : value);

/**
Every secret found in `text`, as it is or inside a Base64 run (a signed state, an encoded header).
*/
function secretsIn(text: string): string[] {
	const decoded = (text.match(/[\w+\-/]{16,}={0,2}/g) ?? []).map(run => Buffer.from(run, 'base64').toString('latin1'));
	return Object.entries(SECRETS).filter(([, value]) => [text, ...decoded].some(part => part.includes(value))).map(([name]) => name);
}

describe('secrets never leak', () => {
	let mcpd: Running;
	let childrenBefore: number[];
	let store: DashboardStore;
	let scratch: string;
	/**
	Everything mcpd put out, by where it was seen.
	*/
	const captured: Array<{where: string; text: string}> = [];
	const capture = (where: string, text: string) => {
		captured.push({where, text});
	};

	const reading: Array<Promise<void>> = [];
	/**
	An HTTP answer's status line, headers and body (read off a clone, so the caller reads its own copy).
	*/
	const record = (where: string, response: Response): void => {
		const head = `${response.status}\n${[...response.headers].map(([name, value]) => `${name}: ${value}`).join('\n')}`;
		const {body} = response.clone();
		reading.push((async () => {
			let text = '';
			if (body) {
				const decoder = new TextDecoder();
				try {
					// A GET stream ends when its client closes; what was read by then counts.
					for await (const chunk of body) {
						text += decoder.decode(chunk, {stream: true});
					}
				} catch {}
			}

			capture(where, `${head}\n\n${text}`);
		})());
	};

	const recordingFetch = (where: string) => async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
		const response = await fetch(input, init);
		record(where, response);
		return response;
	};

	before(async () => {
		childrenBefore = descendants();
		scratch = mkdtempSync(join(tmpdir(), 'mcpd-secrets-'));
		mcpd = await startMcpd(testConfig([
			server('agent', {env: {API_SECRET: SECRETS.serverEnv}, headerEnv: {'x-api-key': 'USER_API_KEY'}}),
		], {http: {token: SECRETS.token}}));
		for (const name of EVENTS) {
			mcpd.supervisor.events.on(name, (event: unknown) => {
				capture(`event ${name}`, JSON.stringify(event, replacer));
			});
		}

		for (const format of ['json', 'text'] as const) {
			attachLogger(mcpd.supervisor, {level: 'debug', format}, line => {
				capture(`log (${format})`, line);
			});
		}

		store = createDashboardStore({
			supervisor: mcpd.supervisor, latency: () => mcpd.supervisor.latency.snapshot(), frameMs: 10, tailMs: 10,
		});
		store.subscribe(() => {
			capture('store snapshot', JSON.stringify(store.getSnapshot(), replacer));
		});
	});

	after(async () => {
		store.dispose();
		await mcpd.close();
		rmSync(scratch, {recursive: true, force: true});
		await assertNoNewChildren(childrenBefore);
	});

	const auth = () => ({authorization: `Bearer ${SECRETS.token}`});
	const post = async (where: string, body: unknown, headers: Record<string, string>) => {
		const response = await fetch(new URL('/servers/agent/mcp', mcpd.base), {
			method: 'POST',
			headers: {'content-type': 'application/json', accept: ACCEPT, ...headers},
			body: JSON.stringify(body),
		});
		record(where, response);
		const text = await response.text();
		return {status: response.status, body: JSON.parse(text || 'null')};
	};

	const status = async () => {
		const response = await fetch(new URL('/status', mcpd.base), {headers: auth()});
		record('/status', response);
		return response.json() as Promise<{sessions: Array<{id: string; pid: number; era: string; state: string}>}>;
	};

	/**
	The child's own environment, read from /proc: the secrets must get there, and only there.
	*/
	const environ = (pid: number) => Object.fromEntries(readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').filter(Boolean).map(entry => [entry.slice(0, entry.indexOf('=')), entry.slice(entry.indexOf('=') + 1)]));
	const argv = (pid: number) => readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').slice(0, -1);
	const pidOf = (id: string) => mcpd.supervisor.sessions().find(row => row.id === id)?.pid;

	test('a legacy SDK client with its key: calls, stderr naming the variable, a crash, then its session is gone', async () => {
		const transport = new StreamableHTTPClientTransport(mcpd.url('agent'), {
			requestInit: {headers: {...auth(), 'X-API-Key': SECRETS.legacyKey}},
			fetch: recordingFetch('legacy client'),
		});
		const client = new Client({name: 'secrets-legacy', version: '1.0.0'});
		await client.connect(transport);
		const sessionId = transport.sessionId!;
		const pid = pidOf(sessionId)!;
		assert.equal(environ(pid).USER_API_KEY, SECRETS.legacyKey, 'the key reached the child');
		assert.equal(environ(pid).API_SECRET, SECRETS.serverEnv, 'the server env reached the child');
		await client.callTool({name: 'echo', arguments: {message: 'hello'}});
		await client.callTool({name: 'stderr', arguments: {lines: ['reading USER_API_KEY', 'reading API_SECRET']}});
		await status();
		await assert.rejects(client.callTool({name: 'crash', arguments: {code: 1, stderr: ['KeyError: USER_API_KEY', 'API_SECRET rejected']}}));
		const gone = await post('after the crash', {jsonrpc: '2.0', id: 9, method: 'tools/list'}, {...auth(), 'mcp-session-id': sessionId, 'x-api-key': SECRETS.legacyKey});
		assert.equal(gone.status, 404);
		// The crash report is there, with the variable's name in its stderr tail: the scan below reads it.
		assert.ok(gone.body.error.data.stderr.includes('KeyError: USER_API_KEY'), JSON.stringify(gone.body));
		await client.close();
	});

	test('a modern SDK client with its key: a call and an input round answered by its sampling handler', async () => {
		const client = new ModernClient({name: 'secrets-modern', version: '2.0.0'}, {capabilities: {sampling: {}}, versionNegotiation: {mode: {pin: VERSION}}});
		client.setRequestHandler('sampling/createMessage', async () => ({role: 'assistant', model: 'm', content: {type: 'text', text: 'sampled'}}));
		await client.connect(new ModernTransport(mcpd.url('agent'), {
			requestInit: {headers: {...auth(), 'X-API-Key': SECRETS.modernKey}},
			fetch: recordingFetch('modern client'),
		}));
		await client.callTool({name: 'echo', arguments: {message: 'hi'}});
		const sampled = await client.callTool({name: 'sample', arguments: {prompt: 'q'}});
		assert.equal((sampled.content as Array<{text: string}>)[0].text, 'sampled: sampled');
		const child = (await status()).sessions.find(row => row.era === 'modern' && row.state === 'live')!;
		assert.equal(environ(child.pid).USER_API_KEY, SECRETS.modernKey, 'the key reached the modern child');
		await client.close();
	});

	test('a raw modern MRTR round, a tampered retry, and a crash of the child', async () => {
		const headers = {
			...auth(), 'x-api-key': SECRETS.mrtrKey, 'mcp-protocol-version': VERSION, 'mcp-method': 'tools/call', 'mcp-name': 'sample',
		};
		const call = (id: number, extra: Record<string, unknown> = {}) => ({
			jsonrpc: '2.0', id, method: 'tools/call', params: {
				name: 'sample', arguments: {prompt: 'p'}, ...extra, _meta: ENVELOPE,
			},
		});
		const round = await post('mrtr round', call(1), headers);
		assert.equal(round.body.result.resultType, 'input_required', JSON.stringify(round.body));
		const [key] = Object.keys(round.body.result.inputRequests);
		const {requestState} = round.body.result;
		const answer = {[key]: {role: 'assistant', model: 'm', content: {type: 'text', text: 'ok'}}};
		const tampered = await post('mrtr tampered', call(2, {requestState: `${requestState}x`, inputResponses: answer}), headers);
		assert.equal(tampered.status, 400);
		const done = await post('mrtr retry', call(3, {requestState, inputResponses: answer}), headers);
		assert.equal(done.body.result.content[0].text, 'sampled: ok');
		const crash = await post('mrtr crash', {
			jsonrpc: '2.0', id: 4, method: 'tools/call', params: {name: 'crash', arguments: {code: 2, stderr: ['no USER_API_KEY here']}, _meta: ENVELOPE},
		}, {...headers, 'mcp-name': 'crash'});
		assert.equal(crash.status, 502);
		assert.match(JSON.stringify(crash.body), /USER_API_KEY/);
	});

	test('refusals carrying the secrets: wrong token (and the real one under another scheme), foreign Origin, unknown session', async () => {
		const body = {jsonrpc: '2.0', id: 1, method: 'tools/list'};
		const key = {'x-api-key': SECRETS.legacyKey};
		assert.equal((await post('401 wrong token', body, {authorization: 'Bearer wrong', ...key})).status, 401);
		assert.equal((await post('401 other scheme', body, {authorization: `Basic ${SECRETS.token}`, ...key})).status, 401);
		assert.equal((await post('401 token with a tail', body, {authorization: `Bearer ${SECRETS.token}-x`, ...key})).status, 401);
		assert.equal((await post('403 origin', body, {...auth(), origin: 'https://evil.example', ...key})).status, 403);
		assert.equal((await post('404 session', body, {...auth(), 'mcp-session-id': 'no-such-session', ...key})).status, 404);
		const unauthorized = await fetch(new URL('/status', mcpd.base), {headers: {authorization: `Basic ${SECRETS.token}`}});
		record('/status 401', unauthorized);
		assert.equal(unauthorized.status, 401);
	});

	test('what a request names cannot change what is spawned: the configured command and arguments, the header value as data', async () => {
		const marker = join(scratch, 'pwned');
		const shell = ['/bin/sh', '-c', `touch ${marker}`];
		const hostile = {
			...auth(),
			'x-api-key': `$(touch ${marker}); ${SECRETS.legacyKey}`,
			'x-mcpd-command': '/bin/sh',
			'x-mcpd-args': shell.join(' '),
			'x-command': '/bin/sh',
			command: '/bin/sh',
			'x-mcpd-tag': '../../bin/sh',
		};
		const initialize = await post('hostile initialize', {
			jsonrpc: '2.0',
			id: 1,
			method: 'initialize',
			params: {
				protocolVersion: '2025-11-25', capabilities: {}, clientInfo: {name: 'sh', version: '1'}, command: '/bin/sh', args: shell, env: {PATH: '/nowhere'}, cwd: '/',
			},
		}, hostile);
		assert.equal(initialize.status, 200);
		const modern = await post('hostile modern call', {
			jsonrpc: '2.0',
			id: 2,
			method: 'tools/call',
			params: {name: 'echo', arguments: {message: 'x', command: '/bin/sh', args: shell}, _meta: {...ENVELOPE, command: '/bin/sh', args: shell}},
		}, {
			...hostile, 'mcp-protocol-version': VERSION, 'mcp-method': 'tools/call', 'mcp-name': 'echo',
		});
		assert.equal(modern.status, 200);
		for (const path of ['/servers/agent/mcp?command=/bin/sh&args=-c', '/servers/..%2F..%2Fbin%2Fsh/mcp']) {
			const response = await fetch(new URL(path, mcpd.base), {
				method: 'POST', headers: {'content-type': 'application/json', accept: ACCEPT, ...hostile}, body: JSON.stringify({
					jsonrpc: '2.0', id: 3, method: 'initialize', params: {protocolVersion: '2025-11-25', capabilities: {}, clientInfo: {name: 'q', version: '1'}},
				}),
			});
			record(`hostile path ${path}`, response);
			await response.text();
		}

		const live = (await status()).sessions.filter(row => row.state === 'live');
		assert.ok(live.length >= 3, `${live.length} live children`);
		for (const row of live) {
			assert.deepEqual(argv(row.pid), [process.execPath, FIXTURE], `child ${row.id} (${row.era})`);
			const env = environ(row.pid);
			assert.notEqual(env.PATH, '/nowhere');
			if (env.USER_API_KEY?.startsWith('$(')) {
				assert.equal(env.USER_API_KEY, hostile['x-api-key'], 'the header value is passed as it is, not run');
			}
		}

		assert.ok(live.some(row => environ(row.pid).USER_API_KEY === hostile['x-api-key']), 'a child got the hostile value as its key');
		assert.equal(existsSync(marker), false, 'nothing ran the injected command');
	});

	test('none of the secrets is in anything mcpd put out', async () => {
		await status();
		capture('store snapshot (last)', JSON.stringify(store.getSnapshot(), replacer));
		await mcpd.supervisor.shutdown();
		await Promise.all(reading);
		capture('store snapshot (after shutdown)', JSON.stringify(store.getSnapshot(), replacer));

		// The scan is worth something only if it read the places where a leak would show.
		const kinds = new Set(captured.map(entry => entry.where.replace(/ \(.*\)$/, '')));
		for (const kind of ['event log', 'event stderr', 'event session-closed', 'log', 'store snapshot', '/status', 'legacy client', 'modern client', 'mrtr round', '401 other scheme', '403 origin', '404 session', 'after the crash', 'mrtr crash']) {
			assert.ok(kinds.has(kind), `nothing captured from ${kind}`);
		}

		assert.ok(captured.some(entry => entry.where === 'after the crash' && entry.text.includes('KeyError: USER_API_KEY')), 'the crash report with its stderr tail was read');
		assert.ok(captured.some(entry => entry.where.startsWith('store snapshot') && entry.text.includes('KeyError: USER_API_KEY')), 'the dashboard tail was read');
		assert.deepEqual(secretsIn(`Basic ${SECRETS.token}`), ['token'], 'the scan finds a secret when there is one');
		assert.deepEqual(secretsIn(Buffer.from(`{"k":"${SECRETS.mrtrKey}"}`).toString('base64url')), ['mrtrKey'], 'and one hidden in Base64');

		const leaks = captured.flatMap(({where, text}) => secretsIn(text).map(name => `${name} in ${where}: ${text.slice(0, 200)}`));
		assert.deepEqual(leaks, []);
	});
});
