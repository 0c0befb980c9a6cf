/**
 The demo server's small tools: enough to see requests, progress and stderr
 move through mcpd on a first run.
 */
import {setTimeout as sleep} from 'node:timers/promises';
import type {McpServer} from '@modelcontextprotocol/sdk/server/mcp.js';
import type {CallToolResult} from '@modelcontextprotocol/sdk/types.js';
import {z} from 'zod';
import {demoLog} from './log.js';
import {progressFor} from './progress.js';

const SLOW_STEP_MS = 250;
const MAX_STDERR_LINES = 1000;

const text = (value: string): CallToolResult => ({content: [{type: 'text', text: value}]});

export function registerDemoTools(server: McpServer): void {
	server.registerTool(
		'echo',
		{description: 'Returns the message it is given.', inputSchema: {message: z.string().describe('Text to echo back')}},
		async ({message}) => {
			demoLog(`echo (${message.length} chars)`);
			return text(message);
		},
	);

	server.registerTool(
		'slow',
		{
			description: `Waits, reporting progress every ${SLOW_STEP_MS} ms (pass a progress token to see it). Cancellable.`,
			inputSchema: {seconds: z.number().min(0).max(600).default(5).describe('How long to take')},
		},
		async ({seconds}, extra) => {
			demoLog(`slow ${seconds} s`);
			const report = progressFor(extra);
			const steps = Math.max(1, Math.round((seconds * 1000) / SLOW_STEP_MS));
			const started = Date.now();
			for (let step = 1; step <= steps; step++) {
				await sleep(SLOW_STEP_MS, undefined, {signal: extra.signal});
				await report(step, steps, `${((Date.now() - started) / 1000).toFixed(2)} s of ${seconds} s`);
			}

			return text(`Done after ${((Date.now() - started) / 1000).toFixed(2)} s.`);
		},
	);

	server.registerTool(
		'stderr',
		{
			description: 'Writes text to the server\'s stderr, for the dashboard\'s stderr tail.',
			inputSchema: {
				text: z.string().describe('The line to write'),
				count: z.number().int().min(1).max(MAX_STDERR_LINES).default(1).describe('How many times'),
			},
		},
		async ({text: line, count}) => {
			for (let i = 1; i <= count; i++) {
				process.stderr.write(count === 1 ? `${line}\n` : `${line} (${i}/${count})\n`);
			}

			return text(`Wrote ${count} line${count === 1 ? '' : 's'} to stderr.`);
		},
	);

	server.registerTool('time', {description: 'Returns the current time (ISO 8601, UTC).'}, async () => {
		demoLog('time');
		return text(new Date().toISOString());
	});
}
