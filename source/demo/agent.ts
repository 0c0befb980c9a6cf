/**
 The demo `run_agent`: the seed's contract (see shared/design/run-agent.md)
 without a model. An info log and progress (0, 100) at start, then each tick an
 info log `Agent reasoning... (Ns)` and progress (N % 10, 10), which wraps and
 changes total like the seed's; then (100, 100) and the Markdown answer.
 */
import {setTimeout as sleep} from 'node:timers/promises';
import type {McpServer} from '@modelcontextprotocol/sdk/server/mcp.js';
import {z} from 'zod';
import {demoAgentAnswer} from './agent-answer.js';
import {demoLog} from './log.js';
import {progressFor} from './progress.js';

export type DemoAgentTiming = {
	/**
	Between `Agent reasoning...` ticks.
	*/
	tickMs: number;
	/**
	From the call to the answer.
	*/
	runMs: number;
};

export const DEFAULT_AGENT_TIMING: DemoAgentTiming = {tickMs: 1000, runMs: 3000};

const preview = (task: string) => JSON.stringify(task.length > 60 ? `${task.slice(0, 57)}...` : task);

export function registerDemoAgent(server: McpServer, {tickMs, runMs}: DemoAgentTiming = DEFAULT_AGENT_TIMING): void {
	const info = async (data: string) => server.sendLoggingMessage({level: 'info', logger: 'demo-agent', data});

	server.registerTool(
		'run_agent',
		{
			description: 'mcpd\'s demo agent: takes a task like a real coding agent would (logs, progress, a Markdown report) but only echoes it. Cancellable.',
			inputSchema: {
				task: z.string().describe('What the agent should do'),
				timeout: z.number().int().positive().default(120).describe('Seconds for the generated code to run (the demo runs none)'),
			},
		},
		async ({task}, extra) => {
			demoLog(`run_agent ${preview(task)}`);
			const report = progressFor(extra);
			const started = Date.now();
			try {
				await info(`Agent received task: ${task}`);
				await report(0, 100);
				for (let tick = 1; tick * tickMs < runMs; tick++) {
					await sleep(Math.max(0, started + tick * tickMs - Date.now()), undefined, {signal: extra.signal});
					await info(`Agent reasoning... (${tick}s)`);
					await report(tick % 10, 10);
				}

				await sleep(Math.max(0, started + runMs - Date.now()), undefined, {signal: extra.signal});
			} catch (error) {
				if (extra.signal.aborted) {
					demoLog('run_agent cancelled');
				}

				throw error;
			}

			await report(100, 100);
			demoLog(`run_agent done in ${Date.now() - started} ms`);
			return {content: [{type: 'text', text: demoAgentAnswer(task)}]};
		},
	);
}
