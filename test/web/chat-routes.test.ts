/**
 The chat page's side of mcpd, over HTTP: which server it talks to, its
 files and their headers, what the token guards, and the page's own origin.
 */
import assert from 'node:assert/strict';
import {readdirSync} from 'node:fs';
import {after, before, describe, test} from 'node:test';
import type {Config} from '../../source/config/types.js';
import {Supervisor} from '../../source/core/supervisor.js';
import {buildApp} from '../../source/http/app.js';
import {CHAT_DIR} from '../../source/web/assets.js';
import {chatTarget} from '../../source/web/chat-target.js';
import {server, testConfig} from '../helpers/mcpd.js';
import {assertNoNewChildren, descendants} from '../helpers/processes.js';

const KEYS = {'x-openai-key': 'OPENAI_API_KEY', 'x-gemini-key': 'GEMINI_API_KEY'};

function config(servers = [server('agent', {headerEnv: KEYS})], options: {web?: boolean; token?: string; host?: string; agent?: string} = {}): Config {
	const base = testConfig(servers, {http: {...(options.token !== undefined && {token: options.token}), ...(options.host !== undefined && {host: options.host})}});
	return {...base, agent: {...base.agent, server: options.agent ?? ''}, web: {enabled: options.web ?? true}};
}

test('the page talks to [agent] server, or the only enabled server; otherwise it says what to set', () => {
	const one = chatTarget(config(), {});
	assert.ok('target' in one);
	assert.deepEqual(one.target, {
		server: 'agent',
		endpoint: '/servers/agent/mcp',
		tool: 'run_agent',
		timeout: 120,
		maxTotalMs: 3_600_000,
		keys: [{header: 'x-openai-key', variable: 'OPENAI_API_KEY', preset: false}, {header: 'x-gemini-key', variable: 'GEMINI_API_KEY', preset: false}],
		keysRequired: true,
	});

	const two = [server('fs'), server('agent', {headerEnv: KEYS}), server('off', {enabled: false})];
	assert.deepEqual(chatTarget(config(two), {}), {problem: 'the chat page needs to know the agent\'s server: set [agent] server (enabled servers: fs, agent)'});
	assert.equal((chatTarget(config(two, {agent: 'agent'}), {}) as {target: {server: string}}).target.server, 'agent');
	assert.match((chatTarget(config(two, {agent: 'off'}), {}) as {problem: string}).problem, /names no enabled server/);
});

test('a key the server already has (its env, or mcpd\'s with inherit_env) makes the user\'s own optional', () => {
	const own = chatTarget(config([server('agent', {headerEnv: KEYS, env: {OPENAI_API_KEY: 'sk-server'}})]), {}) as {target: {keys: Array<{preset: boolean}>; keysRequired: boolean}};
	assert.deepEqual(own.target.keys.map(key => key.preset), [true, false]);
	assert.equal(own.target.keysRequired, false);
	const inherited = chatTarget(config([server('agent', {headerEnv: KEYS, inheritEnv: true})]), {GEMINI_API_KEY: 'g'}) as {target: {keysRequired: boolean}};
	assert.equal(inherited.target.keysRequired, false);
	const none = chatTarget(config([server('agent')]), {}) as {target: {keys: unknown[]; keysRequired: boolean}};
	assert.deepEqual([none.target.keys, none.target.keysRequired], [[], false]);
});

describe('the chat routes', () => {
	let childrenBefore: number[];
	const supervisors: Supervisor[] = [];
	const appFor = (options: Config) => {
		const supervisor = new Supervisor(options, {PATH: process.env.PATH}, '0.0.0-test');
		supervisors.push(supervisor);
		return buildApp({supervisor, config: options, version: '0.0.0-test'});
	};

	before(() => {
		childrenBefore = descendants();
	});

	after(async () => {
		await Promise.all(supervisors.map(async supervisor => supervisor.shutdown()));
		await assertNoNewChildren(childrenBefore);
	});

	test('the page and its files are public and under a strict policy; its settings are behind the token', async () => {
		const app = appFor(config([server('agent', {headerEnv: KEYS, env: {OPENAI_API_KEY: 'sk-server-secret'}})], {token: 'tok'}));
		const page = await app.inject({url: '/chat/'});
		assert.equal(page.statusCode, 200);
		assert.equal(page.headers['content-type'], 'text/html; charset=utf-8');
		const csp = String(page.headers['content-security-policy']);
		for (const directive of ['default-src \'none\'', 'script-src \'self\'', 'style-src \'self\'', 'connect-src \'self\'', 'frame-ancestors \'none\'', 'require-trusted-types-for \'script\'']) {
			assert.ok(csp.includes(directive), directive);
		}

		assert.ok(!csp.includes('unsafe-inline'));
		assert.ok(!csp.includes('unsafe-eval'));
		assert.equal(page.headers['x-content-type-options'], 'nosniff');
		assert.equal(page.headers['referrer-policy'], 'no-referrer');
		assert.match(page.body, /<script type="module" src="app.js"><\/script>/);
		assert.doesNotMatch(page.body, /<script>|<style|\sstyle=|\son\w+=/i, 'no inline script, style or handler');

		const modules = readdirSync(CHAT_DIR).filter(name => name.endsWith('.js') && name !== 'app.js');
		assert.ok(modules.length > 0);
		for (const name of modules) {
			assert.ok(page.body.includes(`<link rel="modulepreload" href="${name}">`), `${name} is preloaded with the page`);
		}

		const script = await app.inject({url: '/chat/app.js'});
		assert.equal(script.statusCode, 200);
		assert.equal(script.headers['content-type'], 'text/javascript; charset=utf-8');
		assert.equal(script.headers['content-security-policy'], csp);
		assert.equal((await app.inject({url: '/chat'})).headers.location, '/chat/');
		// Files are looked up in what was read at start, never on disk from the path.
		for (const url of ['/chat/nope.js', '/chat/..%2Fpackage.json', '/chat/%2E%2E/source/cli.ts']) {
			assert.equal((await app.inject({url, headers: {authorization: 'Bearer tok'}})).statusCode, 404, url);
		}

		assert.equal((await app.inject({url: '/chat/config.json'})).statusCode, 401);
		const settings = await app.inject({url: '/chat/config.json', headers: {authorization: 'Bearer tok'}});
		assert.equal(settings.statusCode, 200);
		assert.equal(settings.headers['cache-control'], 'no-store');
		assert.deepEqual(JSON.parse(settings.body).keys, [
			{header: 'x-openai-key', variable: 'OPENAI_API_KEY', preset: true},
			{header: 'x-gemini-key', variable: 'GEMINI_API_KEY', preset: false},
		]);
		assert.ok(!settings.body.includes('sk-server-secret'), 'names, never values');
		assert.equal((await app.inject({url: '/status'})).statusCode, 401, 'the rest stays behind the token');
		await app.close();
	});

	test('off by default: no page', async () => {
		const app = appFor(config(undefined, {web: false}));
		assert.equal((await app.inject({url: '/chat/'})).statusCode, 404);
		await app.close();
	});

	test('reached by any name (wildcard bind, token set), the page\'s own origin passes the Origin check; others do not', async () => {
		const body = {jsonrpc: '2.0', id: 1, method: 'tools/list'};
		const post = async (app: ReturnType<typeof appFor>, origin: string) => app.inject({
			method: 'POST',
			url: '/servers/agent/mcp',
			headers: {
				host: 'chat.example.com', origin, authorization: 'Bearer tok', 'content-type': 'application/json', accept: 'application/json, text/event-stream',
			},
			payload: body,
		});
		const web = appFor(config(undefined, {token: 'tok', host: '0.0.0.0'}));
		// 400: past the guard, refused by the MCP layer for want of a session.
		assert.equal((await post(web, 'https://chat.example.com')).statusCode, 400);
		assert.equal((await post(web, 'https://evil.example.com')).statusCode, 403);
		await web.close();
		const plain = appFor(config(undefined, {token: 'tok', host: '0.0.0.0', web: false}));
		assert.equal((await post(plain, 'https://chat.example.com')).statusCode, 403, 'unchanged without the page');
		await plain.close();
	});
});
