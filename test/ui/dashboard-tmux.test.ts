/**
 The dashboard in a real terminal: tmux at 80x24 runs the built mcpd, real
 SDK clients open sessions, and keys typed into the pane kill one and quit,
 show what each child costs, search, freeze and export; captures with colour
 check both palettes.
 */
import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {mkdtempSync, readdirSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
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

	test('CPU/MEM columns, sort by memory, search with n, freeze and export', async () => {
		// Exports go to the temp directory: a private one, to find the file in.
		const dir = mkdtempSync(path.join(tmpdir(), 'mcpd-tmux-'));
		try {
			const {port} = await startDashboard('u', `TMPDIR='${dir}'`);
			const connect = async (name: string) => {
				const client = new Client({name, version: '1'});
				await client.connect(new StreamableHTTPClientTransport(new URL(`http://127.0.0.1:${port}/mcp`)));
				clients.push(client);
				return client;
			};

			const hungry = await connect('hungry-client');
			const lean = await connect('lean-client');
			const hungryPid = Number(text(await hungry.callTool({name: 'pid', arguments: {}})));
			const leanPid = Number(text(await lean.callTool({name: 'pid', arguments: {}})));
			await hungry.callTool({name: 'hold_memory', arguments: {mb: 150}});
			await hungry.callTool({name: 'stderr', arguments: {lines: ['needle one', 'hay', 'needle two', 'more hay', 'needle three']}});

			// At 80 columns u swaps P50/P95 for CPU%/MEM; the child holding 150 MB shows it.
			tmux('send-keys', '-t', 'u', 'u');
			const mem = (screenText: string, pid: number): number => {
				const row = screenText.split('\n').find(line => new RegExp(String.raw`\s${pid}\s*$`).test(line));
				const m = row && /(\d+(?:\.\d+)?)(B|KB|MB|GB)\s+\d+\s*$/.exec(row);
				return m ? Number(m[1]) * 1024 ** ['B', 'KB', 'MB', 'GB'].indexOf(m[2]) : NaN;
			};

			const shown = await screenMatching(/CPU% +MEM +PID/, 'the usage columns', 'u');
			assert.doesNotMatch(shown, /P50/);
			let sized = '';
			await waitFor(() => {
				sized = screen('u');
				return mem(sized, hungryPid) > mem(sized, leanPid) + 100 * 1024 * 1024;
			}, {timeout: 15_000, message: `the hungry child's RSS well above its sibling's:\n${sized}`});

			// S cycles to memory: the hungry session goes to the top, selected.
			tmux('send-keys', '-t', 'u', 's', 's', 's', 's', 's');
			const sorted = await screenMatching(/sort mem/, 'sorted by memory', 'u');
			const firstRow = sorted.split('\n').find(line => /\s\d{3,}\s*$/.test(line));
			assert.match(firstRow ?? '', new RegExp(String.raw`^› .*\s${hungryPid}\s*$`), sorted);

			// The tail searched with /needle: n jumps from match to match.
			tmux('send-keys', '-t', 'u', '3', '/');
			tmux('send-keys', '-t', 'u', '-l', 'needle');
			tmux('send-keys', '-t', 'u', 'Enter');
			await screenMatching(/\/needle/, 'the search in the tail title', 'u');
			tmux('send-keys', '-t', 'u', 'n');
			let jumped = await screenMatching(/match 1\/3/, 'first match', 'u');
			// Colours are off in this terminal: the hits are «marked», since inverse goes with the colours.
			assert.match(jumped, /^›«needle» one/m);
			tmux('send-keys', '-t', 'u', 'n');
			jumped = await screenMatching(/match 2\/3/, 'second match', 'u');
			assert.match(jumped, /^›«needle» two/m);
			assert.doesNotMatch(jumped, /hay/, 'the filter keeps only matches');

			// Space freezes: a new line waits, counted, and shows on thaw.
			tmux('send-keys', '-t', 'u', 'Space');
			await screenMatching(/FROZEN \+0/, 'frozen', 'u');
			await hungry.callTool({name: 'stderr', arguments: {lines: ['needle after freeze']}});
			const frozen = await screenMatching(/FROZEN \+[1-9]/, 'updates counted while frozen', 'u');
			assert.doesNotMatch(frozen, /after freeze/);
			tmux('send-keys', '-t', 'u', 'Space');
			const thawed = await screenMatching(/«needle» after freeze/, 'the line after thawing', 'u');
			assert.doesNotMatch(thawed, /FROZEN/);

			// E saves the whole retained log, not only what the filter shows.
			tmux('send-keys', '-t', 'u', 'e');
			await screenMatching(/saved .*mcpd-/, 'the export\'s path in the footer', 'u');
			const files = readdirSync(dir).filter(name => name.endsWith('.log'));
			assert.equal(files.length, 1, files.join(' '));
			const exported = readFileSync(path.join(dir, files[0]), 'utf8');
			assert.match(exported, new RegExp(`pid ${hungryPid}`));
			for (const line of ['needle one', 'hay', 'more hay', 'needle three', 'needle after freeze']) {
				assert.match(exported, new RegExp(`Z ${line}\n`));
			}
		} finally {
			tmux('kill-session', '-t', 'u');
			rmSync(dir, {recursive: true, force: true});
		}
	});

	test('colours: the dark palette\'s yellow and cyan give way to blue and magenta on a light terminal', async () => {
		// Foreground colours in the captured screen: 33 yellow, 36 cyan, 34 blue, 35 magenta.
		const colours = (capture: string) => new Set([...capture.matchAll(/\u001B\[([\d;]*)m/g)].flatMap(m => m[1].split(';')));
		const captured = async (name: string, colorFgBg: string) => {
			// Level 1: the 16 named colours, as the palettes name them.
			await startDashboard(name, `TERM=xterm-256color COLORFGBG='${colorFgBg}'`, 'FORCE_COLOR=1');
			// The footer's warn-coloured hint and the accented title are on screen once the frame is.
			return waitFor(() => {
				const capture = tmux('capture-pane', '-p', '-e', '-t', name);
				return capture.includes('FOLLOW') ? capture : undefined;
			}, {timeout: 10_000, message: `a coloured frame in ${name}`});
		};

		const dark = colours(await captured('dark', '15;0'));
		tmux('kill-session', '-t', 'dark');
		const light = colours(await captured('light', '0;15'));
		tmux('kill-session', '-t', 'light');
		assert.ok(dark.has('36'), `cyan accent on dark: ${[...dark].join(' ')}`);
		assert.ok(!light.has('33') && !light.has('36'), `no yellow or cyan on light: ${[...light].join(' ')}`);
		assert.ok(light.has('34'), `blue accent on light: ${[...light].join(' ')}`);
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
Another dashboard in its own 80x24 tmux session; `env` is more `env` arguments for it, `color` replaces FORCE_COLOR=0.
*/
async function startDashboard(name: string, env = '', color = 'FORCE_COLOR=0'): Promise<{pid: number; port: string}> {
	const command = `exec env -u CI ${color} ${env} '${process.execPath}' '${BIN}' --port 0 -- '${process.execPath}' '${FIXTURE}'`;
	tmux('new-session', '-d', '-s', name, '-x', '80', '-y', '24', command);
	const pid = Number(tmux('display', '-p', '-t', name, '#{pane_pid}').trim());
	const first = await screenMatching(/127\.0\.0\.1:(\d+)/, 'header with the bound port', name);
	return {pid, port: /127\.0\.0\.1:(\d+)/.exec(first)![1]};
}

/**
A second dashboard in its own tmux session, with one live MCP session; returns mcpd's and the child's pids.
*/
async function startWithSession(name: string): Promise<{pid: number; childPid: number}> {
	const {pid, port} = await startDashboard(name);
	const client = new Client({name: 'signals', version: '1'});
	await client.connect(new StreamableHTTPClientTransport(new URL(`http://127.0.0.1:${port}/mcp`)));
	const childPid = Number(text(await client.callTool({name: 'pid', arguments: {}})));
	// The transport's GET stream ends with mcpd; nothing to close here.
	void client.close().catch(() => {});
	await waitFor(() => descendants(pid).includes(childPid), {message: 'child under mcpd'});
	return {pid, childPid};
}
