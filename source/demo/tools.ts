/**
 The demo server's small tools: enough to see requests, progress and stderr
 move through mcpd on a first run.
 */
import {setTimeout as sleep} from 'node:timers/promises';
import {demoLog} from './log.js';
import type {DemoTool} from './tool.js';

const SLOW_STEP_MS = 250;
const MAX_STDERR_LINES = 1000;

export const demoTools: DemoTool[] = [
	{
		name: 'echo',
		description: 'Returns the message it is given.',
		fields: {message: {type: 'string', description: 'Text to echo back'}},
		async run({message}) {
			const text = String(message);
			demoLog(`echo (${text.length} chars)`);
			return text;
		},
	},
	{
		name: 'slow',
		description: `Waits, reporting progress every ${SLOW_STEP_MS} ms (pass a progress token to see it). Cancellable.`,
		fields: {
			seconds: {
				default: 5, description: 'How long to take', type: 'number', minimum: 0, maximum: 600,
			},
		},
		async run(args, call) {
			const seconds = Number(args.seconds);
			demoLog(`slow ${seconds} s`);
			const steps = Math.max(1, Math.round((seconds * 1000) / SLOW_STEP_MS));
			const started = Date.now();
			for (let step = 1; step <= steps; step++) {
				// eslint-disable-next-line no-await-in-loop -- the steps pace a slow tool on purpose
				await sleep(SLOW_STEP_MS, undefined, {signal: call.signal});
				call.progress(step, steps, `${((Date.now() - started) / 1000).toFixed(2)} s of ${seconds} s`);
			}

			return `Done after ${((Date.now() - started) / 1000).toFixed(2)} s.`;
		},
	},
	{
		name: 'stderr',
		description: 'Writes text to the server\'s stderr, for the dashboard\'s stderr tail.',
		fields: {
			text: {type: 'string', description: 'The line to write'},
			count: {
				default: 1, description: 'How many times', type: 'integer', minimum: 1, maximum: MAX_STDERR_LINES,
			},
		},
		async run(args) {
			const line = String(args.text);
			const count = Number(args.count);
			for (let i = 1; i <= count; i++) {
				process.stderr.write(count === 1 ? `${line}\n` : `${line} (${i}/${count})\n`);
			}

			return `Wrote ${count} line${count === 1 ? '' : 's'} to stderr.`;
		},
	},
	{
		name: 'time',
		description: 'Returns the current time (ISO 8601, UTC).',
		fields: {},
		async run() {
			demoLog('time');
			return new Date().toISOString();
		},
	},
];
