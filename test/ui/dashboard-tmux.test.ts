/**
 The dashboard in a real terminal: tmux at 80x24 runs the built mcpd, real
 SDK clients open sessions, and keys typed into the pane kill one and quit.
 */
import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {after, before, describe, test} from 'node:test';
import {Client} from '@modelcontextprotocol/sdk/client/index.js';
import {StreamableHTTPClientTransport} from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import {BIN} from '../helpers/cli.js';
import {FIXTURE} from '../helpers/mcpd.js';
import {descendants, isAlive} from '../helpers/processes.js';
import {waitFor} from '../helpers/wait-for.js';

const SOCKET = `mcpd-test-${process.pid}`;
const tmux = (...args: string[]) => execFileSync('tmux', ['-L', SOCKET, ...args], {encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe']});
const screen = (target = 't') => tmux('capture-pane', '-p', '-t', target);
const text = (result: unknown) => ((result as {content: Array<{text: string}>}).content[0]).text;

async function screenMatching(pattern: RegExp, message: string, target = 't'): Promise<string> {
	let last = '';
	try {
		return await waitFor(() => {
			last = screen(target);
			return pattern.test(last) ? last : undefined;
		}, {timeout: 10_000, message});
	} catch (error) {
		throw new Error(`${(error as Error).message}\n--- screen ---\n${last}`);
	}
}

describe('dashboard in tmux at 80x24', () => {
	let mcpdPid: number;
	const clients: Client[] = [];

	before(() => {
		// A clean env for the pane: colours off so the capture is plain text, CI unset so Ink renders live.
		// A tmux server exits with its last session; the tests below end theirs one by one, and a
		// new session started while the server shuts down fails. A keeper holds it up until after().
		tmux('new-session', '-d', '-s', 'keep', 'sleep 600');
		const command = `exec env -u CI FORCE_COLOR=0 '${process.execPath}' '${BIN}' --port 0 -- '${process.execPath}' '${FIXTURE}'`;
		tmux('new-session', '-d', '-s', 't', '-x', '80', '-y', '24', command);
		mcpdPid = Number(tmux('display', '-p', '-t', 't', '#{pane_pid}').trim());
	});

	after(async () => {
		await Promise.allSettled(clients.map(async client => client.close()));
		try {
			tmux('kill-server');
		} catch {}

		await waitFor(() => !isAlive(mcpdPid), {message: 'mcpd gone'});
	});

	test('sessions, stderr, kill with confirm, and quit', async () => {
		const first = await screenMatching(/127\.0\.0\.1:(\d+)/, 'header with the bound port');
		const port = /127\.0\.0\.1:(\d+)/.exec(first)![1];
		// Ink redraws the whole screen once a frame reaches the terminal's height: the frame keeps to 23 rows.
		assert.equal(first.split('\n', 24)[23]?.trim() ?? '', '', 'row 24 stays empty');

		const pids: number[] = [];
		for (const name of ['alpha-client', 'beta-client']) {
			const client = new Client({name, version: '1'});
			await client.connect(new StreamableHTTPClientTransport(new URL(`http://127.0.0.1:${port}/mcp`)));
			clients.push(client);
			pids.push(Number(text(await client.callTool({name: 'pid', arguments: {}}))));
			await client.callTool({name: 'stderr', arguments: {lines: [`stderr line from ${name}`]}});
		}

		assert.deepEqual(descendants(mcpdPid).sort(), [...pids].sort(), 'exactly the two session children');
		let shown = await screenMatching(/alpha-client[\s\S]*beta-client|beta-client[\s\S]*alpha-client/, 'both sessions listed');
		for (const pid of pids) {
			assert.match(shown, new RegExp(String.raw`\b${pid}\b`));
		}

		// The selected (first) session's stderr tail is on screen.
		shown = await screenMatching(/stderr line from (alpha|beta)-client/, 'stderr line in the tail');

		// Which session is selected: the row with the marker.
		const selectedRow = shown.split('\n').find(line => line.startsWith('›') && /\d{3,}\s*$/.test(line));
		assert.ok(selectedRow, `a selected session row:\n${shown}`);
		const victim = pids.find(pid => selectedRow.includes(String(pid)))!;
		const survivor = pids.find(pid => pid !== victim)!;

		tmux('send-keys', '-t', 't', 'x');
		const confirm = await screenMatching(/kill/i, 'the confirm dialog');
		assert.match(confirm, new RegExp(String(victim)), 'the dialog names the pid');
		tmux('send-keys', '-t', 't', 'y');
		await waitFor(() => !isAlive(victim), {message: 'killed session\'s child gone'});
		assert.ok(isAlive(survivor), 'the other session is untouched');

		tmux('send-keys', '-t', 't', 'q');
		// Sessions are live, so quitting asks once.
		await screenMatching(/quit/i, 'the quit confirmation');
		tmux('send-keys', '-t', 't', 'y');
		await waitFor(() => !isAlive(mcpdPid), {timeout: 10_000, message: 'mcpd exited after q'});
		assert.ok(!isAlive(survivor), 'no child remains after quitting');
	});

	test('Ctrl+C twice quits and no child remains', async () => {
		const {pid: mcpd, childPid} = await startWithSession('c');
		tmux('send-keys', '-t', 'c', 'C-c');
		await screenMatching(/ctrl\+c again/i, 'the first Ctrl+C only warns', 'c');
		assert.ok(isAlive(mcpd));
		tmux('send-keys', '-t', 'c', 'C-c');
		await waitFor(() => !isAlive(mcpd), {timeout: 10_000, message: 'mcpd exited after Ctrl+C twice'});
		assert.ok(!isAlive(childPid));
	});

	test('SIGHUP, as when an SSH connection drops, ends every child', async () => {
		const {pid: mcpd, childPid} = await startWithSession('h');
		// Killing the tmux session hangs up its terminal: the pane's process gets SIGHUP.
		tmux('kill-session', '-t', 'h');
		await waitFor(() => !isAlive(mcpd), {timeout: 10_000, message: 'mcpd exited on SIGHUP'});
		await waitFor(() => !isAlive(childPid), {timeout: 5000, message: 'its child reaped'});
	});
});

/**
A second dashboard in its own tmux session, with one live MCP session; returns mcpd's and the child's pids.
*/
async function startWithSession(name: string): Promise<{pid: number; childPid: number}> {
	const command = `exec env -u CI FORCE_COLOR=0 '${process.execPath}' '${BIN}' --port 0 -- '${process.execPath}' '${FIXTURE}'`;
	tmux('new-session', '-d', '-s', name, '-x', '80', '-y', '24', command);
	const pid = Number(tmux('display', '-p', '-t', name, '#{pane_pid}').trim());
	const first = await screenMatching(/127\.0\.0\.1:(\d+)/, 'header with the bound port', name);
	const port = /127\.0\.0\.1:(\d+)/.exec(first)![1];
	const client = new Client({name: 'signals', version: '1'});
	await client.connect(new StreamableHTTPClientTransport(new URL(`http://127.0.0.1:${port}/mcp`)));
	const childPid = Number(text(await client.callTool({name: 'pid', arguments: {}})));
	// The transport's GET stream ends with mcpd; nothing to close here.
	void client.close().catch(() => {});
	await waitFor(() => descendants(pid).includes(childPid), {message: 'child under mcpd'});
	return {pid, childPid};
}
