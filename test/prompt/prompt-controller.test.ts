import assert from 'node:assert/strict';
import {setTimeout as sleep} from 'node:timers/promises';
import {after, before, describe, test} from 'node:test';
import {watchEndedSessions} from '../../source/agent/ended-sessions.js';
import {appendLog} from '../../source/prompt/log-fold.js';
import {createPromptController} from '../../source/prompt/prompt-agent.js';
import type {AgentSnapshot, PromptController} from '../../source/prompt/prompt-controller.js';
import type {AgentConfig} from '../../source/config/types.js';
import {agentServers, envWithoutKeys, startMcpd, testConfig, type Running} from '../helpers/mcpd.js';
import {assertNoNewChildren, descendants} from '../helpers/processes.js';
import {waitFor} from '../helpers/wait-for.js';

const initial = descendants();
let running: Running;

before(async () => {
	running = await startMcpd(testConfig(agentServers()), envWithoutKeys);
});

after(async () => {
	await running.close();
	await assertNoNewChildren(initial);
});

const agentConfig = (server = ''): AgentConfig => ({
	server, tool: 'run_agent', timeout: 120, maxTotalMs: 60_000,
});

/**
A controller on the in-test mcpd that records every snapshot it publishes.
*/
function make(options: {server?: string; servers?: string[]; stderrOf?: (id: string) => string[] | undefined} = {}) {
	const controller = createPromptController({
		base: running.base,
		servers: options.servers ?? ['fs', 'agent', 'slow', 'nokey'],
		agent: agentConfig(options.server),
		stderrOf: options.stderrOf,
	});
	const seen: AgentSnapshot[] = [];
	controller.subscribe(() => seen.push(controller.getSnapshot()));
	return {controller, seen};
}

const settled = async (controller: PromptController) =>
	waitFor(() => (controller.getSnapshot().state === 'running' ? undefined : controller.getSnapshot()), {timeout: 10_000, message: 'the run to end'});

describe('PromptController on a real mcpd', () => {
	test('a run: discovery, running snapshots, folded logs, the answer, history and past', async () => {
		const {controller, seen} = make();
		try {
			assert.deepEqual(controller.getSnapshot(), {
				state: 'idle', logs: [], history: [], past: [], maxTotalMs: 60_000,
			});
			const startedAt = Date.now();
			controller.submit('  count these words  ');
			assert.equal(controller.getSnapshot().state, 'running');
			assert.equal(controller.getSnapshot().task, 'count these words');
			assert.deepEqual(controller.getSnapshot().history, ['count these words']);

			const done = await settled(controller);
			const took = Date.now() - startedAt;
			assert.equal(done.state, 'done');
			assert.ok(done.answer?.startsWith('✅ **Task Complete**'), done.answer);
			assert.equal(done.server, 'agent', 'found by its tools among four servers');
			assert.equal(done.logs[0], 'Agent received task: count these words');
			const ticks = done.logs.filter(line => line.startsWith('Agent reasoning...'));
			assert.equal(ticks.length, 1, `folded: ${done.logs.join(' | ')}`);
			assert.ok(Number(/\((\d+)s\)/.exec(ticks[0])![1]) >= 3, ticks[0]);
			assert.deepEqual(done.past.map(run => [run.task, run.state]), [['count these words', 'done']]);
			assert.ok((done.elapsedMs ?? 0) > 0);

			// Published at most every 250 ms while running, plus start and end.
			assert.ok(seen.length <= Math.ceil(took / 250) + 3, `${seen.length} snapshots in ${took} ms`);
			const totals = seen.map(snapshot => snapshot.progress?.total).filter(total => total !== undefined);
			assert.ok(totals.includes(10), `progress as given: ${JSON.stringify(totals)}`);

			// Nothing changes any more: the same object, no more notifications.
			const count = seen.length;
			await sleep(600);
			assert.equal(controller.getSnapshot(), done);
			assert.equal(seen.length, count);
		} finally {
			await controller.close();
		}

		await waitFor(() => running.supervisor.sessions().length === 0, {message: 'close() to end the session'});
	});

	test('a submit while running is ignored but kept in history; the session is reused', async () => {
		const {controller} = make({server: 'agent'});
		try {
			controller.submit('first');
			controller.submit('second');
			assert.equal(controller.getSnapshot().task, 'first');
			assert.deepEqual(controller.getSnapshot().history, ['first', 'second']);
			const first = await settled(controller);
			assert.match(first.answer ?? '', /first/);
			assert.equal(first.past.length, 1);

			controller.submit('second');
			assert.deepEqual(controller.getSnapshot().history, ['first', 'second'], 'a repeat of the last entry is not added');
			const second = await settled(controller);
			assert.match(second.answer ?? '', /second/);
			assert.deepEqual(second.past.map(run => run.task), ['first', 'second']);
			assert.equal(running.supervisor.sessions().filter(session => session.server === 'agent').length, 1, 'one session for both runs');
		} finally {
			await controller.close();
		}
	});

	test('cancel: shown at once, reaches the agent, and late messages are ignored', async () => {
		const cancelled: string[] = [];
		const onStderr = ({line}: {line: string}) => {
			if (line.startsWith('agent: cancelled')) {
				cancelled.push(line);
			}
		};

		running.supervisor.events.on('stderr', onStderr);
		const {controller} = make({server: 'slow'});
		try {
			controller.submit('long task');
			await waitFor(() => controller.getSnapshot().logs.some(line => line.startsWith('Agent reasoning')), {message: 'the run to be under way'});
			controller.cancel();
			const snapshot = controller.getSnapshot();
			assert.equal(snapshot.state, 'cancelled');
			assert.deepEqual(snapshot.past.map(run => run.state), ['cancelled']);
			await waitFor(() => cancelled.length === 1, {message: 'agent: cancelled on the child\'s stderr'});
			await sleep(300);
			assert.equal(controller.getSnapshot(), snapshot, 'nothing late changed it');
		} finally {
			running.supervisor.events.off('stderr', onStderr);
			await controller.close();
		}
	});

	test('a failure report is an error state with the report', async () => {
		const {controller} = make({server: 'agent'});
		try {
			controller.submit('please fail');
			const done = await settled(controller);
			assert.equal(done.state, 'error');
			assert.ok(done.error?.startsWith('❌ **Task Failed**'), done.error);
		} finally {
			await controller.close();
		}
	});

	test('no agent server: an error saying how to configure one', async () => {
		const {controller} = make({servers: ['fs']});
		try {
			controller.submit('hello');
			const done = await settled(controller);
			assert.equal(done.state, 'error');
			// One server is taken as the agent; it has no run_agent, which the tool answer says.
			assert.match(done.error ?? '', /Unknown tool: run_agent/);
		} finally {
			await controller.close();
		}

		const several = make({servers: ['fs', 'nokey']});
		try {
			several.controller.submit('hello');
			const done = await settled(several.controller);
			assert.equal(done.state, 'error');
			assert.match(done.error ?? '', /no server offers the "run_agent" tool/);
			assert.match(done.error ?? '', /\[agent\]\n\s+server = "agent"/);
			assert.match(done.error ?? '', /mcp_code_mode\.executor_server/);
		} finally {
			await several.controller.close();
		}
	});

	test('an agent that dies for lack of a key: its stderr and the fix', async () => {
		const ended = watchEndedSessions(running.supervisor.events);
		const {controller} = make({server: 'nokey', stderrOf: ended.stderrOf});
		try {
			controller.submit('hello');
			const done = await settled(controller);
			assert.equal(done.state, 'error');
			assert.ok(done.stderr?.includes('agent: no API key (set OPENAI_API_KEY or GEMINI_API_KEY)'), JSON.stringify(done.stderr));
			// Which of the two depends on whether the child died before or after the call reached mcpd.
			assert.match(done.error ?? '', /exited right after it started|MCP server "nokey" exited \(exit code 1\)/);
			assert.match(done.error ?? '', /OPENAI_API_KEY = "\$\{env:OPENAI_API_KEY\}"/);
		} finally {
			ended.dispose();
			await controller.close();
		}
	});

	test('an empty submit does nothing', () => {
		const {controller, seen} = make();
		controller.submit(' '.repeat(3));
		assert.equal(seen.length, 0);
		assert.equal(controller.getSnapshot().state, 'idle');
	});
});

describe('appendLog', () => {
	test('folds lines that differ only by a trailing (Ns) counter', () => {
		let logs: string[] = [];
		for (const line of ['Agent received task: x', 'Agent reasoning... (1s)', 'Agent reasoning... (2s)', 'Agent reasoning... (3s)']) {
			logs = appendLog(logs, line);
		}

		assert.deepEqual(logs, ['Agent received task: x', 'Agent reasoning... (3s)']);
		logs = appendLog(logs, 'something else');
		logs = appendLog(logs, 'Agent reasoning... (4s)');
		assert.deepEqual(logs, ['Agent received task: x', 'Agent reasoning... (3s)', 'something else', 'Agent reasoning... (4s)']);
	});

	test('keeps the last N lines, one entry per line of text, without changing its input', () => {
		const before = ['a'];
		const after = appendLog(before, 'b\nc\r\nd', 3);
		assert.deepEqual(after, ['b', 'c', 'd']);
		assert.deepEqual(before, ['a']);
	});
});
