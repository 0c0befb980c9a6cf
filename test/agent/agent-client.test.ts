import assert from 'node:assert/strict';
import {after, before, describe, test} from 'node:test';
import {AgentClient, type AgentClientOptions, type RunOptions} from '../../source/agent/agent-client.js';
import type {AgentOutcome, AgentProgress} from '../../source/agent/outcome.js';
import {watchEndedSessions} from '../../source/agent/ended-sessions.js';
import {agentArgs, AGENT_FIXTURE, envWithoutKeys, server, startMcpd, testConfig, type Running} from '../helpers/mcpd.js';
import {assertNoNewChildren, descendants} from '../helpers/processes.js';
import {waitFor} from '../helpers/wait-for.js';

/**
One run on a session of its own, closed afterwards.
*/
async function runAgent(options: AgentClientOptions & RunOptions): Promise<AgentOutcome> {
	const client = new AgentClient(options);
	try {
		return await client.run(options);
	} finally {
		await client.close();
	}
}

const initial = descendants();
let running: Running;

before(async () => {
	running = await startMcpd(testConfig([
		server('agent', {args: agentArgs()}),
		server('slow', {args: agentArgs('--run-ms', '5000')}),
		server('silent', {args: [AGENT_FIXTURE, '--tick-ms', '60000', '--run-ms', '60000', '--no-key-check']}),
		server('structured', {args: agentArgs('--structured')}),
		server('nokey', {args: [AGENT_FIXTURE, '--tick-ms', '50', '--run-ms', '400']}),
	]), envWithoutKeys);
});

after(async () => {
	await running.close();
	await assertNoNewChildren(initial);
});

const sessionsOf = (name: string) => running.supervisor.sessions().filter(session => session.server === name);
const stderrLines = (sessionId: string) => running.supervisor.stderrTail(sessionId).map(entry => entry.line);

describe('runAgent against a real mcpd and agent', () => {
	test('a task: non-monotonic progress, logs, a tagged session, a classified answer', async () => {
		const progress: AgentProgress[] = [];
		const logs: string[] = [];
		const tags: Array<string | undefined> = [];
		const onOpen = (info: {tag: string | undefined; server: string}) => tags.push(info.tag);
		running.supervisor.events.on('session-opened', onOpen);
		const outcome = await runAgent({
			url: running.url('agent'),
			task: 'count these words',
			onProgress: p => progress.push(p),
			onLog: line => logs.push(line),
		});
		running.supervisor.events.off('session-opened', onOpen);

		assert.equal(outcome.kind, 'answer');
		assert.strictEqual(outcome.kind, 'answer');
		assert.ok(outcome.text.startsWith('✅ **Task Complete**'));
		assert.match(outcome.kind === 'answer' ? outcome.text : '', /count these words\n\(3 words\)/);
		assert.deepEqual(tags, ['prompt']);
		assert.equal(logs[0], 'Agent received task: count these words');
		assert.ok(logs.includes('Agent reasoning... (1s)'), logs.join('\n'));
		assert.deepEqual(progress[0], {progress: 0, total: 100, message: undefined});
		const wentBack = progress.some((p, i) => i > 0 && (p.progress < progress[i - 1].progress || p.total !== progress[i - 1].total));
		assert.ok(wentBack, `progress was monotonic: ${JSON.stringify(progress)}`);
		// Its session was DELETEd: the child is gone.
		await waitFor(() => sessionsOf('agent').length === 0, {message: 'the run\'s session to close'});
	});

	test('text content wins over structuredContent (FastMCP 2.10+)', async () => {
		const outcome = await runAgent({url: running.url('structured'), task: 'hello'});
		assert.equal(outcome.kind, 'answer');
		assert.strictEqual(outcome.kind, 'answer');
		assert.ok(outcome.text.startsWith('✅ **Task Complete**'));
	});

	for (const [word, expected] of [
		['fail', /^❌ \*\*Task Failed\*\*[\s\S]*### Errors[\s\S]*simulated failure/],
		['error-string', /^Error: No tools available\. Is the server initialized\?$/],
		['critical', /^Agent encountered a critical error: boom$/],
		['iserror', /agent crashed \(iserror\)/],
	] as const) {
		test(`failure shape "${word}" is a tool-error`, async () => {
			const outcome = await runAgent({url: running.url('agent'), task: `please ${word} now`});
			assert.equal(outcome.kind, 'tool-error', JSON.stringify(outcome));
			assert.match(outcome.kind === 'tool-error' ? outcome.text : '', expected);
		});
	}

	test('cancel sends notifications/cancelled to the agent; the session is kept for the next run', async () => {
		const client = new AgentClient({url: running.url('slow')});
		try {
			const controller = new AbortController();
			let progressed = 0;
			const outcome = await client.run({
				task: 'a long one',
				signal: controller.signal,
				onProgress() {
					if (++progressed === 2) {
						controller.abort();
					}
				},
			});
			assert.deepEqual(outcome, {kind: 'cancelled'});
			const sessionId = client.sessionId!;
			assert.ok(sessionId);
			await waitFor(() => stderrLines(sessionId).some(line => /^agent: cancelled \d+$/.test(line)), {message: 'agent: cancelled on the child\'s stderr'});
			const again = await client.run({task: 'again', signal: AbortSignal.timeout(300)});
			assert.deepEqual(again, {kind: 'cancelled'});
			assert.equal(client.sessionId, sessionId, 'same session');
		} finally {
			await client.close();
		}

		await waitFor(() => sessionsOf('slow').length === 0, {message: 'close() to DELETE the session'});
	});

	test('an already aborted signal runs nothing', async () => {
		const outcome = await runAgent({url: running.url('agent'), task: 'x', signal: AbortSignal.abort()});
		assert.deepEqual(outcome, {kind: 'cancelled'});
	});

	test('the hard cap ends the run as a timeout, and cancels it on the server', async () => {
		const client = new AgentClient({url: running.url('slow')});
		try {
			const started = Date.now();
			const outcome = await client.run({task: 'too long', maxTotalMs: 300});
			assert.equal(outcome.kind, 'timeout');
			assert.match(outcome.kind === 'timeout' ? outcome.message : '', /hard cap of 300ms/);
			assert.ok(Date.now() - started < 3000);
			const sessionId = client.sessionId!;
			await waitFor(() => stderrLines(sessionId).some(line => line.startsWith('agent: cancelled')), {message: 'the cap to cancel on the server'});
		} finally {
			await client.close();
		}
	});

	test('silence longer than the gap timeout is a timeout, distinct from a cancel', async () => {
		const outcome = await runAgent({url: running.url('silent'), task: 'quiet', gapTimeoutMs: 300});
		assert.equal(outcome.kind, 'timeout');
		assert.match(outcome.kind === 'timeout' ? outcome.message : '', /no progress or answer for 300ms/);
	});

	test('a child without an API key: failed, with its stderr (in-process lookup)', async () => {
		const ended = watchEndedSessions(running.supervisor.events);
		try {
			const outcome = await runAgent({url: running.url('nokey'), task: 'hi', stderrOf: ended.stderrOf});
			assert.equal(outcome.kind, 'failed', JSON.stringify(outcome));
			assert.strictEqual(outcome.kind, 'failed');
			assert.equal(outcome.cause, 'crashed');
			assert.ok(outcome.stderr?.includes('agent: no API key (set OPENAI_API_KEY or GEMINI_API_KEY)'), JSON.stringify(outcome.stderr));
		} finally {
			ended.dispose();
		}
	});

	test('a child without an API key over plain HTTP: failed/crashed, never a hang or a retry loop', async () => {
		const outcome = await runAgent({url: running.url('nokey'), task: 'hi'});
		assert.ok(outcome.kind === 'failed' && outcome.cause === 'crashed', JSON.stringify(outcome));
		// Mcpd attaches the stderr when the call was still in flight as the child died; a bare 404 otherwise.
		if (outcome.stderr) {
			assert.ok(outcome.stderr.some(line => line.includes('no API key')));
		}

		await waitFor(() => sessionsOf('nokey').length === 0, {message: 'no session left'});
	});

	test('a child killed mid-run: failed with stderr; the next run reconnects', async () => {
		const client = new AgentClient({url: running.url('agent')});
		try {
			let killed = false;
			const outcome = await client.run({
				task: 'doomed',
				onProgress() {
					if (killed) {
						return;
					}

					killed = true;
					process.kill(sessionsOf('agent')[0].pid!, 'SIGKILL');
				},
			});
			assert.ok(outcome.kind === 'failed' && outcome.cause === 'crashed', JSON.stringify(outcome));
			assert.match(outcome.message, /exited \(killed by SIGKILL\)/);
			assert.ok(outcome.stderr?.some(line => line.startsWith('agent: started pid=')));
			const next = await client.run({task: 'after the crash'});
			assert.equal(next.kind, 'answer');
		} finally {
			await client.close();
		}
	});

	test('a session that expired between runs (404) is replaced transparently', async () => {
		const client = new AgentClient({url: running.url('agent')});
		try {
			assert.equal((await client.run({task: 'one'})).kind, 'answer');
			const first = client.sessionId!;
			await running.supervisor.kill(first);
			assert.equal((await client.run({task: 'two'})).kind, 'answer');
			assert.notEqual(client.sessionId, first);
		} finally {
			await client.close();
		}
	});

	test('runs on one client are serialised', async () => {
		const client = new AgentClient({url: running.url('agent')});
		try {
			const [a, b] = await Promise.all([client.run({task: 'first'}), client.run({task: 'second'})]);
			assert.match(a.kind === 'answer' ? a.text : '', /first/);
			assert.match(b.kind === 'answer' ? b.text : '', /second/);
		} finally {
			await client.close();
		}
	});

	test('an unknown server is refused with mcpd\'s reason', async () => {
		const outcome = await runAgent({url: running.url('nope'), task: 'x'});
		assert.ok(outcome.kind === 'failed' && outcome.cause === 'refused', JSON.stringify(outcome));
		assert.match(outcome.message, /no server named "nope"/);
	});

	test('nothing listening: unreachable', async () => {
		const outcome = await runAgent({url: 'http://127.0.0.1:9/servers/agent/mcp', task: 'x'});
		assert.ok(outcome.kind === 'failed' && outcome.cause === 'unreachable', JSON.stringify(outcome));
		assert.match(outcome.message, /cannot reach mcpd at http:\/\/127\.0\.0\.1:9/);
	});
});

describe('runAgent with a token', () => {
	test('without it: refused, with a hint; with it: an answer', async () => {
		const guarded = await startMcpd(testConfig([server('agent', {args: agentArgs()})], {http: {token: 's3cret'}}));
		try {
			const refused = await runAgent({url: guarded.url('agent'), task: 'x'});
			assert.ok(refused.kind === 'failed' && refused.cause === 'refused', JSON.stringify(refused));
			assert.match(refused.message, /Unauthorized.*--token/);
			const ok = await runAgent({url: guarded.url('agent'), task: 'x', headers: {authorization: 'Bearer s3cret'}});
			assert.equal(ok.kind, 'answer');
		} finally {
			await guarded.close();
		}
	});
});
