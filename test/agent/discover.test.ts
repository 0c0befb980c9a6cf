import assert from 'node:assert/strict';
import {after, before, describe, test} from 'node:test';
import {AgentSetupError, findAgentServer} from '../../source/agent/discover.js';
import type {SessionInfo} from '../../source/core/events.js';
import {AGENT_FIXTURE, FIXTURE, server, startMcpd, testConfig, type Running} from '../helpers/mcpd.js';
import {assertNoNewChildren, descendants} from '../helpers/processes.js';
import {waitFor} from '../helpers/wait-for.js';

const initial = descendants();
let running: Running;
let opened: SessionInfo[] = [];
const onOpened = (info: SessionInfo) => opened.push(info);

before(async () => {
	running = await startMcpd(testConfig([
		server('fs', {args: [FIXTURE]}),
		server('agent', {args: [AGENT_FIXTURE, '--no-key-check']}),
		server('more', {args: [FIXTURE]}),
	]));
	running.supervisor.events.on('session-opened', onOpened);
});

after(async () => {
	running.supervisor.events.off('session-opened', onOpened);
	await running.close();
	await assertNoNewChildren(initial);
});

const find = async (servers: string[], configured = '') => {
	opened = [];
	return findAgentServer({
		base: running.base, servers, configured, tool: 'run_agent',
	});
};

describe('findAgentServer', () => {
	test('a configured server is used as is, without starting anything', async () => {
		const found = await find(['fs', 'agent', 'more'], 'more');
		assert.equal(found.server, 'more');
		assert.equal(found.url.href, `${running.base}/servers/more/mcp`);
		assert.equal(opened.length, 0);
	});

	test('a configured server that is not there is a setup error', async () => {
		await assert.rejects(find(['fs', 'agent'], 'gone'), (error: Error) => error instanceof AgentSetupError && error.message.includes('[agent] server = "gone" names no enabled server (servers: fs, agent)'));
	});

	test('the only server is the agent', async () => {
		const found = await find(['fs']);
		assert.equal(found.server, 'fs');
		assert.equal(opened.length, 0);
	});

	test('among several: the one listing the tool; every listing session is closed', async () => {
		const found = await find(['fs', 'agent', 'more']);
		assert.equal(found.server, 'agent');
		assert.deepEqual(opened.map(info => info.server).sort(), ['agent', 'fs', 'more']);
		assert.ok(opened.every(info => info.tag === 'discover'));
		await waitFor(() => running.supervisor.sessions().length === 0, {message: 'discovery sessions to be closed'});
	});

	test('none offers it: how to configure the code-mode agent', async () => {
		await assert.rejects(find(['fs', 'more']), (error: Error) => {
			assert.ok(error instanceof AgentSetupError);
			assert.match(error.message, /^no server offers the "run_agent" tool:\n {2}- fs: tools echo, /);
			assert.match(error.message, /\n {2}\[agent\]\n {2}server = "agent"\n/);
			assert.match(error.message, /args = \["-m", "mcp_code_mode\.executor_server"\]/);
			assert.match(error.message, /OPENAI_API_KEY = "\$\{env:OPENAI_API_KEY\}" {3}# or GEMINI_API_KEY/);
			return true;
		});
		await waitFor(() => running.supervisor.sessions().length === 0, {message: 'discovery sessions to be closed'});
	});

	test('mcpd not there: says it cannot reach it', async () => {
		await assert.rejects(
			findAgentServer({base: 'http://127.0.0.1:9', servers: ['a', 'b'], tool: 'run_agent'}),
			(error: Error) => error instanceof AgentSetupError && error.message.startsWith('cannot reach mcpd at http://127.0.0.1:9'),
		);
	});
});
