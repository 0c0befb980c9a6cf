/**
 Reloading a running `mcpd --config FILE`: on a change to the file with
 --watch, on SIGUSR2, and on SIGHUP without the dashboard; a bad file is
 rejected with its file:line error while the old config keeps serving.
 */
import assert from 'node:assert/strict';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {after, test} from 'node:test';
import {runMcpd, type McpdProcess} from './helpers/cli.js';
import {FIXTURE} from './helpers/mcpd.js';
import {assertNoNewChildren, descendants} from './helpers/processes.js';
import {waitFor} from './helpers/wait-for.js';

const directory = mkdtempSync(path.join(tmpdir(), 'mcpd-reload-'));
const childrenBefore = descendants();
const running: McpdProcess[] = [];

after(async () => {
	for (const run of running) {
		run.child.kill('SIGTERM');
	}

	await Promise.all(running.map(async run => run.exited));
	rmSync(directory, {recursive: true, force: true});
	await assertNoNewChildren(childrenBefore);
});

const serverTable = (name: string) => `[server.${name}]\ncommand = ${JSON.stringify(process.execPath)}\nargs = [${JSON.stringify(FIXTURE)}]\n`;

async function serverNames(base: string): Promise<string[]> {
	const status = await (await fetch(new URL('/status', base))).json() as {servers: Array<{name: string}>};
	return status.servers.map(server => server.name);
}

async function start(file: string, extra: string[]): Promise<{run: McpdProcess; base: string}> {
	const run = runMcpd(['--config', file, '--no-tui', '--port', '0', ...extra]);
	running.push(run);
	return {run, base: await run.listening()};
}

test('--watch: a new server appears when the file changes; a broken file is rejected with file:line and the old config serves on', async () => {
	const file = path.join(directory, 'watched.toml');
	writeFileSync(file, serverTable('one'));
	const {run, base} = await start(file, ['--watch']);
	assert.deepEqual(await serverNames(base), ['one']);
	writeFileSync(file, serverTable('one') + serverTable('two'));
	await waitFor(async () => (await serverNames(base)).includes('two'), {timeout: 5000});
	assert.match(run.stdout(), /config reloaded .*added=two/);
	writeFileSync(file, serverTable('one') + '[server.three]\ncommand = 42\n');
	await waitFor(() => run.stdout().includes('config reload rejected'), {timeout: 5000});
	assert.match(run.stdout(), /watched\.toml:\d+: server\.three\.command must be a non-empty string/);
	assert.deepEqual(await serverNames(base), ['one', 'two']);
	const initialize = await fetch(new URL('/servers/two/mcp', base), {
		method: 'POST',
		headers: {'content-type': 'application/json', accept: 'application/json, text/event-stream'},
		body: JSON.stringify({
			jsonrpc: '2.0', id: 1, method: 'initialize', params: {protocolVersion: '2025-11-25', capabilities: {}, clientInfo: {name: 't', version: '1'}},
		}),
	});
	assert.equal(initialize.status, 200);
	await initialize.text();
});

test('SIGUSR2 and, without the dashboard, SIGHUP reload; mcpd keeps running', async () => {
	const file = path.join(directory, 'signalled.toml');
	writeFileSync(file, serverTable('one'));
	const {run, base} = await start(file, []);
	writeFileSync(file, serverTable('one') + serverTable('two'));
	run.child.kill('SIGUSR2');
	await waitFor(async () => (await serverNames(base)).includes('two'), {timeout: 5000});
	writeFileSync(file, serverTable('two'));
	run.child.kill('SIGHUP');
	await waitFor(async () => !(await serverNames(base)).includes('one'), {timeout: 5000});
	assert.equal(run.child.exitCode, null);
	// The log line comes through a pipe and may trail what /status already shows.
	await waitFor(() => /config reloaded why=SIGHUP .*removed=one/.test(run.stdout()), {timeout: 5000, message: 'the SIGHUP reload\'s log line'});
});
