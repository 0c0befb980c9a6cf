import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
import {randomUUID} from 'node:crypto';
import {mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {after, before, describe, test} from 'node:test';
import {agentArgs, AGENT_FIXTURE, agentServers, FIXTURE, server, startMcpd, testConfig, type Running} from '../helpers/mcpd.js';
import {assertNoNewChildren, descendants} from '../helpers/processes.js';
import {waitFor} from '../helpers/wait-for.js';

const LAUNCHER = fileURLToPath(new URL('../helpers/ask-launcher.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
// Absolute, so the launcher starts from any working directory.
const TSX = import.meta.resolve('tsx');

const {OPENAI_API_KEY: _o, GEMINI_API_KEY: _g, MCPD_TOKEN: _t, MCP_PORT: _p, MCP_BIND_HOST: _h, NO_COLOR: _n, ...cleanEnv} = process.env;
const initial = descendants();
let running: Running;
let plain: Running;
let dir: string;

before(async () => {
	dir = mkdtempSync(path.join(tmpdir(), 'mcpd-ask-'));
	running = await startMcpd(testConfig(agentServers()), cleanEnv);
	plain = await startMcpd(testConfig([server('one', {args: [FIXTURE]}), server('two', {args: [FIXTURE]})]), cleanEnv);
});

after(async () => {
	await running.close();
	await plain.close();
	rmSync(dir, {recursive: true, force: true});
	await assertNoNewChildren(initial);
});

type Ran = {
	code: number | null;
	stdout: string;
	stderr: string;
};

/**
`mcpd ask ARGS` as a real process, stdout and stderr piped (so neither is a TTY).
*/
async function ask(args: string[], options: {env?: NodeJS.ProcessEnv; cwd?: string; whileRunning?: (child: ReturnType<typeof spawn>, stderr: () => string) => Promise<void>} = {}): Promise<Ran> {
	const child = spawn(process.execPath, ['--import', TSX, LAUNCHER, ...args], {
		cwd: options.cwd ?? dir,
		env: {...cleanEnv, XDG_CONFIG_HOME: dir, ...options.env},
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let stdout = '';
	let stderr = '';
	child.stdout.on('data', (chunk: Buffer) => {
		stdout += chunk.toString();
	});
	child.stderr.on('data', (chunk: Buffer) => {
		stderr += chunk.toString();
	});
	const exited = new Promise<number | null>(resolve => {
		child.on('exit', code => {
			resolve(code);
		});
	});
	const killer = setTimeout(() => child.kill('SIGKILL'), 30_000);
	try {
		await options.whileRunning?.(child, () => stderr);
		const code = await exited;
		// 'exit' can come before the pipes are drained.
		await new Promise(resolve => setImmediate(resolve));
		return {code, stdout, stderr};
	} finally {
		clearTimeout(killer);
	}
}

const sessionsOf = (name: string) => running.supervisor.sessions().filter(session => session.server === name);

describe('mcpd ask against a running mcpd', () => {
	test('finds the agent among several servers; answer on stdout, logs and progress on stderr; exit 0', async () => {
		const {code, stdout, stderr} = await ask(['--url', running.base, 'count', 'these', 'words']);
		assert.equal(code, 0, stderr);
		assert.ok(stdout.startsWith('✅ **Task Complete**\n'), stdout);
		assert.match(stdout, /```\ncount these words\n\(3 words\)\n```/);
		assert.doesNotMatch(stdout, /\u001B\[/, 'a pipe gets no escape codes');
		assert.match(stderr, /^Agent received task: count these words$/m);
		assert.match(stderr, /^Agent reasoning\.\.\. \(1s\)$/m);
		assert.match(stderr, /^progress 0\/100 \(\d+\.\ds\)$/m);
		assert.ok(!stdout.includes('Agent received'), 'no logs on stdout');
		await waitFor(() => running.supervisor.sessions().length === 0, {message: 'ask\'s sessions (discovery and run) to be closed'});
	});

	test('the port comes from the config mcpd would read (./mcpd.toml)', async () => {
		const cwd = mkdtempSync(path.join(dir, 'cwd-'));
		const {port} = new URL(running.base);
		writeFileSync(path.join(cwd, 'mcpd.toml'), `[http]\nport = ${port}\n\n[agent]\nserver = "agent"\n\n[server.agent]\ncommand = "node"\n`);
		const {code, stdout, stderr} = await ask(['from the config'], {cwd});
		assert.equal(code, 0, stderr);
		assert.match(stdout, /from the config/);
	});

	test('a failure report: printed, exit 1', async () => {
		const {code, stdout, stderr} = await ask(['--url', running.base, '--server', 'agent', 'please fail']);
		assert.equal(code, 1);
		assert.ok(stdout.startsWith('❌ **Task Failed**'), stdout);
		assert.match(stderr, /mcpd ask: the agent reported a failure/);
	});

	test('an early plain-text error: exit 1', async () => {
		const {code, stdout} = await ask(['--url', running.base, '--server', 'agent', 'error-string']);
		assert.equal(code, 1);
		assert.match(stdout, /^Error: No tools available/);
	});

	test('an agent that dies at start: exit 1, says so', async () => {
		const {code, stdout, stderr} = await ask(['--url', running.base, '--server', 'nokey', 'hello']);
		assert.equal(code, 1, stderr);
		assert.equal(stdout, '');
		assert.match(stderr, /mcpd ask: .*exited/);
	});

	test('nothing listening: exit 2 with how to start mcpd', async () => {
		const {code, stderr} = await ask(['--url', 'http://127.0.0.1:9', 'hello']);
		assert.equal(code, 2);
		assert.match(stderr, /^mcpd ask: cannot reach mcpd at http:\/\/127\.0\.0\.1:9 \(is it running\? start it with: mcpd/m);
	});

	test('no server offers run_agent: exit 2 with the config to add', async () => {
		const {code, stderr} = await ask(['--url', plain.base, 'hello']);
		assert.equal(code, 2);
		assert.match(stderr, /no server offers the "run_agent" tool/);
		assert.match(stderr, /\[agent\]\n\s+server = "agent"/);
		assert.match(stderr, /mcp_code_mode\.executor_server/);
		assert.match(stderr, /OPENAI_API_KEY/);
		await waitFor(() => plain.supervisor.sessions().length === 0, {message: 'discovery sessions to be closed'});
	});

	test('an unknown --server: exit 2 with mcpd\'s list', async () => {
		const {code, stderr} = await ask(['--url', running.base, '--server', 'nope', 'hello']);
		assert.equal(code, 2);
		assert.match(stderr, /no server named "nope" \(servers: fs, agent, slow, nokey\)/);
	});

	for (const [what, args] of [
		['no task', ['--url', 'http://127.0.0.1:9']],
		['an unknown flag', ['--bogus', 'x']],
		['a bad --timeout', ['--timeout', 'soon', 'x']],
		['--start with --url', ['--start', '--url', 'http://127.0.0.1:9', 'x']],
		['a missing --config', ['--config', 'missing.toml', 'x']],
	] as const) {
		test(`usage: ${what} exits 2`, async () => {
			const {code, stdout, stderr} = await ask([...args]);
			assert.equal(code, 2, stderr);
			assert.equal(stdout, '');
			assert.notEqual(stderr, '');
		});
	}

	test('Ctrl+C cancels the run on the agent and exits 130', async () => {
		const seen: string[] = [];
		const onStderr = ({line}: {line: string}) => seen.push(line);
		running.supervisor.events.on('stderr', onStderr);
		try {
			const {code, stderr} = await ask(['--url', running.base, '--server', 'slow', 'a long task'], {
				async whileRunning(child, output) {
					await waitFor(() => output().includes('Agent reasoning... (2s)'), {timeout: 15_000, message: 'the run to be under way'});
					child.kill('SIGINT');
				},
			});
			assert.equal(code, 130, stderr);
			assert.match(stderr, /mcpd ask: cancelled/);
			assert.ok(seen.some(line => /^agent: cancelled \d+$/.test(line)), seen.join('\n'));
			await waitFor(() => sessionsOf('slow').length === 0, {message: 'the session to be DELETEd'});
		} finally {
			running.supervisor.events.off('stderr', onStderr);
		}
	});
});

describe('mcpd ask with a token', () => {
	test('--token or MCPD_TOKEN gets in; without it exit 2 with a hint', async () => {
		const guarded = await startMcpd(testConfig([server('agent', {args: agentArgs()})], {http: {token: 't0k'}}), cleanEnv);
		try {
			const denied = await ask(['--url', guarded.base, 'x']);
			assert.equal(denied.code, 2);
			assert.match(denied.stderr, /--token/);
			assert.equal((await ask(['--url', guarded.base, '--token', 't0k', 'x'])).code, 0);
			assert.equal((await ask(['--url', guarded.base, 'x'], {env: {MCPD_TOKEN: 't0k'}})).code, 0);
		} finally {
			await guarded.close();
		}
	});
});

/**
Processes whose environment carries `marker`: children of an mcpd we cannot see any more.
*/
function withMarker(marker: string): number[] {
	const found: number[] = [];
	for (const name of readdirSync('/proc')) {
		if (!/^\d+$/.test(name)) {
			continue;
		}

		try {
			if (readFileSync(`/proc/${name}/environ`, 'utf8').includes(marker)) {
				found.push(Number(name));
			}
		} catch {}
	}

	return found;
}

describe('mcpd ask --start', () => {
	test('runs its own mcpd from --config for the call, and leaves no process behind', async () => {
		const marker = `MCPD_ASK_TEST=${randomUUID()}`;
		const [key, value] = marker.split('=', 2);
		const config = path.join(dir, 'start.toml');
		const toml = (list: string[]) => `[${list.map(item => JSON.stringify(item)).join(', ')}]`;
		writeFileSync(config, [
			'[server.other]',
			`command = ${JSON.stringify(process.execPath)}`,
			`args = ${toml([FIXTURE])}`,
			`env = {${key} = "${value}"}`,
			'',
			'[server.agent]',
			`command = ${JSON.stringify(process.execPath)}`,
			`args = ${toml(agentArgs())}`,
			`env = {${key} = "${value}"}`,
			'',
		].join('\n'));
		const {code, stdout, stderr} = await ask(['--start', '--config', config, 'started here'], {cwd: ROOT});
		assert.equal(code, 0, stderr);
		assert.match(stdout, /started here/);
		assert.match(stderr, /Agent received task: started here/);
		assert.deepEqual(withMarker(marker), []);
		// --config alone means the same: that config, run here for the call.
		const implied = await ask(['--config', config, 'implied start'], {cwd: ROOT});
		assert.equal(implied.code, 0, implied.stderr);
		assert.match(implied.stdout, /implied start/);
		assert.deepEqual(withMarker(marker), []);
	});

	test('a child without a key: exit 1 with its stderr and the fix', async () => {
		const config = path.join(dir, 'nokey.toml');
		writeFileSync(config, `[server.agent]\ncommand = ${JSON.stringify(process.execPath)}\nargs = [${JSON.stringify(AGENT_FIXTURE)}]\n`);
		const {code, stderr} = await ask(['--start', '--config', config, 'hello']);
		assert.equal(code, 1, stderr);
		assert.match(stderr, /agent: no API key \(set OPENAI_API_KEY or GEMINI_API_KEY\)/);
		assert.match(stderr, /OPENAI_API_KEY = "\$\{env:OPENAI_API_KEY\}"/);
	});
});
