/**
 The real CLI as a process: config errors, seed-compatible `-- COMMAND`, the
 embedded demo, the headless log, and that no child outlives mcpd, even when
 mcpd itself is SIGKILLed.
 */
import assert from 'node:assert/strict';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {after, before, describe, test} from 'node:test';
import {Client} from '@modelcontextprotocol/sdk/client/index.js';
import {StreamableHTTPClientTransport} from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import {runMcpd, runMcpdToEnd} from './helpers/cli.js';
import {FIXTURE} from './helpers/mcpd.js';
import {assertNoNewChildren, descendants, isAlive} from './helpers/processes.js';
import {waitFor} from './helpers/wait-for.js';

const text = (result: unknown) => ((result as {content: Array<{text: string}>}).content[0]).text;

async function connect(url: string): Promise<Client> {
	const client = new Client({name: 'cli-test', version: '1'});
	await client.connect(new StreamableHTTPClientTransport(new URL(url)));
	return client;
}

describe('mcpd CLI', () => {
	let dir: string;
	let childrenBefore: number[];
	// A clean environment: no ./mcpd.toml, no XDG config, so the built-in demo is what runs.
	let env: NodeJS.ProcessEnv;

	before(() => {
		childrenBefore = descendants();
		dir = mkdtempSync(path.join(tmpdir(), 'mcpd-cli-'));
		env = {PATH: process.env.PATH, HOME: dir, XDG_CONFIG_HOME: path.join(dir, 'xdg')};
	});

	after(async () => {
		rmSync(dir, {recursive: true, force: true});
		await assertNoNewChildren(childrenBefore);
	});

	test('a bad config names file, line and key, exits 2 and starts nothing', async () => {
		writeFileSync(path.join(dir, 'mcpd.toml'), '[http]\nport = 3000\n\n[server.fs]\ncommand = "npx"\nargs = "oops"\n');
		const result = await runMcpdToEnd(['--no-tui'], {cwd: dir, env});
		rmSync(path.join(dir, 'mcpd.toml'));
		assert.equal(result.code, 2);
		assert.match(result.stderr, /^mcpd: mcpd\.toml:6: server\.fs\.args must be an array of strings$/m);
		assert.equal(result.stdout, '');
	});

	test('--theme takes dark, light or auto; anything else exits 2 before starting', async () => {
		const result = await runMcpdToEnd(['--no-tui', '--theme', 'purple'], {cwd: dir, env});
		assert.equal(result.code, 2);
		assert.match(result.stderr, /--theme must be dark, light or auto, not "purple"/);
	});

	test('--check validates and names the servers', async () => {
		const file = path.join(dir, 'ok.toml');
		writeFileSync(file, `[server.one]\ncommand = "${process.execPath}"\nargs = ["${FIXTURE}"]\n`);
		const result = await runMcpdToEnd(['--check', '--config', file], {cwd: dir, env});
		assert.equal(result.code, 0, result.stderr);
		assert.match(result.stdout, /ok\.toml: ok \(one\)/);
	});

	test('--check finds a missing or non-executable command by a PATH lookup, names it and the PATH, and exits 1', async () => {
		const file = path.join(dir, 'missing.toml');
		const script = path.join(dir, 'not-executable.sh');
		writeFileSync(script, '#!/bin/sh\n', {mode: 0o644});
		writeFileSync(file, [
			`[server.one]\ncommand = "${process.execPath}"\nargs = ["${FIXTURE}"]`,
			'[server.typo]\ncommand = "mcpd-test-no-such-command"',
			`[server.script]\ncommand = "${script}"`,
			'[server.off]\ncommand = "mcpd-test-no-such-command"\nenabled = false',
			'[server.ownpath]\ncommand = "sh"\nenv = {PATH = "/mcpd-test-empty-dir"}',
		].join('\n'));
		const result = await runMcpdToEnd(['--check', '--config', file], {cwd: dir, env});
		assert.equal(result.code, 1, result.stderr);
		assert.equal(result.stdout, '');
		const lines = result.stderr.trim().split('\n');
		assert.deepEqual(lines, [
			`mcpd: ${file}: server.typo: command "mcpd-test-no-such-command" not found on PATH ${env.PATH}`,
			`mcpd: ${file}: server.script: command ${JSON.stringify(script)} is not executable (${script})`,
			`mcpd: ${file}: server.ownpath: command "sh" not found on PATH /mcpd-test-empty-dir`,
		]);
	});

	test('a non-loopback host without a token refuses to start', async () => {
		const result = await runMcpdToEnd(['--no-tui', '--host', '0.0.0.0', '--port', '0', '--', process.execPath, FIXTURE], {cwd: dir, env});
		assert.equal(result.code, 2);
		assert.match(result.stderr, /refusing to listen on 0\.0\.0\.0 without http\.token/);
	});

	test('unknown flags and stray arguments are usage errors', async () => {
		assert.equal((await runMcpdToEnd(['--bogus'], {cwd: dir, env})).code, 2);
		const stray = await runMcpdToEnd(['python', 'server.py'], {cwd: dir, env});
		assert.equal(stray.code, 2);
		assert.match(stray.stderr, /put it after --/);
	});

	test('with no config file the built-in demo server works end to end', async () => {
		const mcpd = runMcpd(['--no-tui', '--port', '0'], {cwd: dir, env});
		try {
			const base = await mcpd.listening();
			const client = await connect(`${base}/servers/demo/mcp`);
			const {tools} = await client.listTools();
			assert.deepEqual(tools.map(tool => tool.name).sort(), ['echo', 'run_agent', 'slow', 'stderr', 'time']);
			assert.equal(text(await client.callTool({name: 'echo', arguments: {message: 'hi'}})), 'hi');
			await client.close();
			assert.match(mcpd.stdout(), /info {2}session opened server=demo/);
		} finally {
			mcpd.child.kill('SIGTERM');
			assert.deepEqual(await mcpd.exited, {code: 0, signal: null});
		}
	});

	test('--web serves the chat page for the demo agent and logs its address', async () => {
		const mcpd = runMcpd(['--no-tui', '--port', '0', '--web'], {cwd: dir, env});
		try {
			const base = await mcpd.listening();
			await waitFor(() => mcpd.stdout().includes(`chat page url=${base}/chat/`), {message: 'the chat page in the log'});
			const page = await fetch(`${base}/chat/`);
			assert.equal(page.status, 200);
			assert.match(page.headers.get('content-security-policy') ?? '', /script-src 'self'/);
			const settings = await (await fetch(`${base}/chat/config.json`)).json() as {server: string; keys: unknown[]; keysRequired: boolean};
			assert.deepEqual([settings.server, settings.keys, settings.keysRequired], ['demo', [], false]);
		} finally {
			mcpd.child.kill('SIGTERM');
			assert.deepEqual(await mcpd.exited, {code: 0, signal: null});
		}
	});

	test('--web with several servers and no [agent] server is a usage error naming the fix', async () => {
		const file = path.join(dir, 'two.toml');
		writeFileSync(file, `[server.one]\ncommand = "${process.execPath}"\nargs = ["${FIXTURE}"]\n[server.two]\ncommand = "${process.execPath}"\nargs = ["${FIXTURE}"]\n`);
		const result = await runMcpdToEnd(['--no-tui', '--web', '--config', file], {cwd: dir, env});
		assert.equal(result.code, 2);
		assert.match(result.stderr, /^mcpd: the chat page needs to know the agent's server: set \[agent\] server \(enabled servers: one, two\)$/m);
	});

	test('seed compatibility: mcpd -- COMMAND serves it at /mcp; MCP_PORT and --timeout are honoured; JSON log lines', async () => {
		const mcpd = runMcpd(['--no-tui', '--log-format', 'json', '--timeout', '0.4', '--', process.execPath, FIXTURE, '--name', 'seedcompat'], {cwd: dir, env: {...env, MCP_PORT: '0'}});
		try {
			const base = await mcpd.listening();
			const client = await connect(`${base}/mcp`);
			assert.equal(client.getServerVersion()?.name, 'seedcompat');
			await client.callTool({name: 'stderr', arguments: {lines: ['hello from the child']}});
			await waitFor(() => mcpd.stdout().includes('hello from the child'), {message: 'stderr line in the log'});
			const lines = mcpd.stdout().trim().split('\n').map(line => JSON.parse(line) as {msg: string; level: string});
			assert.ok(lines.some(line => line.msg === 'session opened'));
			assert.ok(lines.every(line => typeof line.level === 'string'));
			await client.close();
			// A session left without a GET stream or request is reaped after --timeout.
			const response = await fetch(`${base}/mcp`, {
				method: 'POST',
				headers: {'content-type': 'application/json', accept: 'application/json, text/event-stream'},
				body: JSON.stringify({
					jsonrpc: '2.0', id: 1, method: 'initialize', params: {protocolVersion: '2025-11-25', capabilities: {}, clientInfo: {name: 'raw', version: '1'}},
				}),
			});
			assert.equal(response.status, 200);
			const sessions = async () => ((await (await fetch(`${base}/status`)).json()) as {sessions: unknown[]}).sessions.length;
			assert.ok(await sessions() >= 1);
			await waitFor(async () => await sessions() === 0, {timeout: 3000, message: 'idle session reaped after --timeout'});
			assert.ok(mcpd.stdout().includes('"reason":"idle"'));
		} finally {
			mcpd.child.kill('SIGTERM');
			await mcpd.exited;
		}
	});

	test('SIGTERM ends every child and exits 0', async () => {
		const mcpd = runMcpd(['--no-tui', '--port', '0', '--', process.execPath, FIXTURE], {cwd: dir, env});
		const base = await mcpd.listening();
		const pids: number[] = [];
		for (let i = 0; i < 2; i++) {
			const client = await connect(`${base}/mcp`);
			pids.push(Number(text(await client.callTool({name: 'pid', arguments: {}}))));
		}

		mcpd.child.kill('SIGTERM');
		assert.deepEqual(await mcpd.exited, {code: 0, signal: null});
		assert.ok(pids.every(pid => !isAlive(pid)), 'children reaped before mcpd exits');
	});

	test('when mcpd is SIGKILLed its children get stdin EOF and do not linger', async () => {
		const mcpd = runMcpd(['--no-tui', '--port', '0', '--', process.execPath, FIXTURE], {cwd: dir, env});
		const base = await mcpd.listening();
		const client = await connect(`${base}/mcp`);
		const pid = Number(text(await client.callTool({name: 'pid', arguments: {}})));
		assert.ok(isAlive(pid));
		mcpd.child.kill('SIGKILL');
		await mcpd.exited;
		await waitFor(() => !isAlive(pid), {timeout: 5000, message: `orphaned child ${pid} to exit`});
	});
});
