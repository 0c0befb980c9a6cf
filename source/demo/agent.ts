/**
 The demo `run_agent`: the contract of the code-mode agent
 (draphonix/mcp-code-mode) without a model. An info log and progress (0, 100) at start, then each tick an
 info log `Agent reasoning... (Ns)` and progress (N % 10, 10), which wraps and
 changes total like the real agent's; then (100, 100) and the Markdown answer.
 */
import {setTimeout as sleep} from 'node:timers/promises';
import {demoAgentAnswer} from './agent-answer.js';
import {demoLog} from './log.js';
import type {DemoTool} from './tool.js';

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

export function demoAgent({tickMs, runMs}: DemoAgentTiming = DEFAULT_AGENT_TIMING): DemoTool {
	return {
		name: 'run_agent',
		description: 'mcpd\'s demo agent: takes a task like a real coding agent would (logs, progress, a Markdown report) but only echoes it. Cancellable.',
		fields: {
			task: {type: 'string', description: 'What the agent should do'},
			timeout: {
				default: 120, description: 'Seconds for the generated code to run (the demo runs none)', type: 'integer', exclusiveMinimum: 0, maximum: Number.MAX_SAFE_INTEGER,
			},
		},
		async run(args, call) {
			const task = String(args.task);
			demoLog(`run_agent ${preview(task)}`);
			const info = (data: string) => {
				call.log('info', 'demo-agent', data);
			};

			const started = Date.now();
			try {
				info(`Agent received task: ${task}`);
				call.progress(0, 100);
				for (let tick = 1; tick * tickMs < runMs; tick++) {
					// eslint-disable-next-line no-await-in-loop -- the ticks pace a long-running task on purpose
					await sleep(Math.max(0, started + tick * tickMs - Date.now()), undefined, {signal: call.signal});
					info(`Agent reasoning... (${tick}s)`);
					call.progress(tick % 10, 10);
				}

				await sleep(Math.max(0, started + runMs - Date.now()), undefined, {signal: call.signal});
			} catch (error) {
				if (call.signal.aborted) {
					demoLog('run_agent cancelled');
				}

				throw error;
			}

			call.progress(100, 100);
			demoLog(`run_agent done in ${Date.now() - started} ms`);
			return demoAgentAnswer(task);
		},
	};
}
