/**
 A stdio server nobody here wrote: @modelcontextprotocol/server-everything,
 driven through mcpd by the SDK client.
 */
import assert from 'node:assert/strict';
import {createRequire} from 'node:module';
import {after, before, describe, test} from 'node:test';
import {CallToolResultSchema, CreateMessageRequestSchema, LoggingMessageNotificationSchema} from '@modelcontextprotocol/sdk/types.js';
import {startMcpd, server, testConfig, type Running} from '../helpers/mcpd.js';
import {assertNoNewChildren, descendants} from '../helpers/processes.js';

const require = createRequire(import.meta.url);
const EVERYTHING = require.resolve('@modelcontextprotocol/server-everything/dist/index.js');
const texts = (result: unknown) => (result as {content: Array<{type: string; text?: string}>}).content.filter(part => part.type === 'text').map(part => part.text!);

describe('server-everything through mcpd', () => {
	let mcpd: Running;
	let childrenBefore: number[];

	before(async () => {
		childrenBefore = descendants();
		mcpd = await startMcpd(testConfig([server('everything', {args: [EVERYTHING, 'stdio']})]));
	});

	after(async () => {
		await mcpd.close();
		await assertNoNewChildren(childrenBefore);
	});

	test('tools/list and echo', async () => {
		const {client} = await mcpd.client('everything');
		const {tools} = await client.listTools();
		assert.ok(tools.some(tool => tool.name === 'echo'));
		assert.deepEqual(texts(await client.callTool({name: 'echo', arguments: {message: 'hi'}})), ['Echo: hi']);
	});

	test('a sampling request from the server is answered by the client and the result reaches the server', async () => {
		const {client} = await mcpd.client('everything');
		let asked = '';
		client.setRequestHandler(CreateMessageRequestSchema, async request => {
			asked = (request.params.messages[0].content as {text: string}).text;
			return {model: 'stub-model', role: 'assistant', content: {type: 'text', text: 'forty-two'}};
		});
		const result = await client.callTool({name: 'trigger-sampling-request', arguments: {prompt: 'meaning of life', maxTokens: 10}});
		assert.match(asked, /meaning of life/);
		assert.match(texts(result).join('\n'), /forty-two/);
	});

	test('a long-running operation reports progress to onprogress', async () => {
		const {client} = await mcpd.client('everything');
		const progress: number[] = [];
		const result = await client.callTool({name: 'trigger-long-running-operation', arguments: {duration: 1, steps: 4}}, CallToolResultSchema, {
			onprogress(update) {
				progress.push(update.progress);
			},
		});
		assert.deepEqual(progress, [1, 2, 3, 4]);
		assert.match(texts(result).join('\n'), /completed/i);
	});

	test('logging messages arrive', async () => {
		const {client} = await mcpd.client('everything');
		const logs: unknown[] = [];
		client.setNotificationHandler(LoggingMessageNotificationSchema, notification => {
			logs.push(notification.params);
		});
		await client.setLoggingLevel('debug');
		await client.callTool({name: 'toggle-simulated-logging', arguments: {}});
		// Server-everything sends a random-level log every few seconds once toggled on.
		const deadline = Date.now() + 25_000;
		while (logs.length === 0 && Date.now() < deadline) {
			await new Promise(resolve => setTimeout(resolve, 100));
		}

		assert.ok(logs.length > 0, 'a logging notification arrived');
	});
});
