/**
 A stdio server nobody here wrote, @modelcontextprotocol/server-everything,
 driven through mcpd's 2026-07-28 front by `@modelcontextprotocol/client`
 2.x pinned to that revision.
 */
import assert from 'node:assert/strict';
import {createRequire} from 'node:module';
import {after, before, describe, test} from 'node:test';
import {setTimeout as sleep} from 'node:timers/promises';
import {modernClient, server, startMcpd, testConfig, type Running} from '../helpers/mcpd.js';
import {assertNoNewChildren, descendants} from '../helpers/processes.js';

const require = createRequire(import.meta.url);
const EVERYTHING = require.resolve('@modelcontextprotocol/server-everything/dist/index.js');
const texts = (result: unknown) => (result as {content: Array<{type: string; text?: string}>}).content.filter(part => part.type === 'text').map(part => part.text!);

describe('server-everything through the modern front', () => {
	let mcpd: Running;
	let childrenBefore: number[];
	const clients: Array<{close(): Promise<void>}> = [];

	const open = async (options: Parameters<typeof modernClient>[1] = {}) => {
		const client = await modernClient(mcpd.url('everything'), options);
		clients.push(client);
		return client;
	};

	before(async () => {
		childrenBefore = descendants();
		mcpd = await startMcpd(testConfig([server('everything', {args: [EVERYTHING, 'stdio']})]));
		// Server-everything asks its client for roots/list 350 ms after initialize, tied to no call: let that pass
		// while no call is in flight, so it is not taken for an input request of whatever call runs then.
		const warm = await open();
		await warm.listTools();
		await sleep(600);
	});

	after(async () => {
		await Promise.allSettled(clients.map(async client => client.close()));
		await mcpd.close();
		await assertNoNewChildren(childrenBefore);
	});

	test('the client speaks 2026-07-28, and server/discover carries the server\'s identity and instructions', async () => {
		const client = await open();
		assert.equal(client.getProtocolEra(), 'modern');
		assert.equal(client.getNegotiatedProtocolVersion(), '2026-07-28');
		assert.equal(client.getServerVersion()?.name, 'mcp-servers/everything');
		assert.ok(client.getServerCapabilities()?.tools);
		assert.ok(client.getServerCapabilities()?.prompts);
		assert.ok(client.getServerCapabilities()?.resources);
		assert.match(client.getInstructions() ?? '', /Everything MCP Server/);
	});

	test('tools, prompts, resources and resource templates are listed', async () => {
		const client = await open();
		const tools = (await client.listTools()).tools.map(tool => tool.name);
		for (const name of ['echo', 'get-sum', 'trigger-long-running-operation', 'trigger-sampling-request', 'trigger-elicitation-request', 'get-roots-list']) {
			assert.ok(tools.includes(name), `tools/list lacks ${name}: ${tools.join(', ')}`);
		}

		const prompts = new Set((await client.listPrompts()).prompts.map(prompt => prompt.name));
		for (const name of ['simple-prompt', 'args-prompt', 'completable-prompt', 'resource-prompt']) {
			assert.ok(prompts.has(name), `prompts/list lacks ${name}`);
		}

		const {resources} = await client.listResources();
		assert.ok(resources.some(resource => resource.uri === 'demo://resource/static/document/features.md'), resources.map(resource => resource.uri).join(', '));
		const {resourceTemplates} = await client.listResourceTemplates();
		assert.ok(resourceTemplates.some(template => template.uriTemplate === 'demo://resource/dynamic/text/{resourceId}'));
	});

	test('echo and get-sum', async () => {
		const client = await open();
		assert.deepEqual(texts(await client.callTool({name: 'echo', arguments: {message: 'héllo'}})), ['Echo: héllo']);
		assert.deepEqual(texts(await client.callTool({name: 'get-sum', arguments: {a: 2, b: 40}})), ['The sum of 2 and 40 is 42.']);
	});

	test('resources/read: a static document, a templated resource, and a missing one (-32602)', async () => {
		const client = await open();
		const document = await client.readResource({uri: 'demo://resource/static/document/features.md'});
		assert.equal(document.contents[0].uri, 'demo://resource/static/document/features.md');
		assert.equal(document.contents[0].mimeType, 'text/markdown');
		assert.ok(((document.contents[0] as {text?: string}).text ?? '').length > 0);
		const dynamic = await client.readResource({uri: 'demo://resource/dynamic/text/7'});
		assert.match((dynamic.contents[0] as {text: string}).text, /^Resource 7: This is a plaintext resource/);
		await assert.rejects(client.readResource({uri: 'demo://nowhere/at-all'}), (error: Error & {code?: number}) => {
			assert.equal(error.code, -32_602, error.message);
			return true;
		});
	});

	test('prompts/get with and without arguments, and completion', async () => {
		const client = await open();
		const simple = await client.getPrompt({name: 'simple-prompt'});
		assert.deepEqual(simple.messages, [{role: 'user', content: {type: 'text', text: 'This is a simple prompt without arguments.'}}]);
		const args = await client.getPrompt({name: 'args-prompt', arguments: {city: 'Paris', state: 'TX'}});
		assert.equal((args.messages[0].content as {text: string}).text, 'What\'s weather in Paris, TX?');
		const embedded = await client.getPrompt({name: 'resource-prompt', arguments: {resourceType: 'Text', resourceId: '3'}});
		assert.equal(embedded.messages.length, 2);
		assert.equal(embedded.messages[1].content.type, 'resource');
		const completion = await client.complete({ref: {type: 'ref/prompt', name: 'completable-prompt'}, argument: {name: 'department', value: 'S'}});
		assert.deepEqual(completion.completion.values.sort(), ['Sales', 'Support']);
	});

	test('a long-running operation reports its progress to onprogress, on the call\'s own stream', async () => {
		const client = await open();
		const progress: Array<{progress: number; total?: number}> = [];
		const result = await client.callTool({name: 'trigger-long-running-operation', arguments: {duration: 0.2, steps: 4}}, {
			onprogress(update) {
				progress.push({progress: update.progress, total: update.total});
			},
		});
		assert.deepEqual(progress, [1, 2, 3, 4].map(step => ({progress: step, total: 4})));
		assert.match(texts(result).join('\n'), /Long running operation completed\. Duration: 0\.2 seconds, Steps: 4\./);
	});

	test('sampling asked by the server becomes an input round, answered by the client\'s handler', async () => {
		const client = await open({capabilities: {sampling: {}}});
		let asked = '';
		client.setRequestHandler('sampling/createMessage', async request => {
			asked = (request.params.messages[0].content as {text: string}).text;
			return {role: 'assistant', model: 'stub-model', content: {type: 'text', text: 'forty-two'}};
		});
		const result = await client.callTool({name: 'trigger-sampling-request', arguments: {prompt: 'meaning of life', maxTokens: 10}});
		assert.match(asked, /meaning of life/);
		const answer = texts(result).join('\n');
		assert.match(answer, /LLM sampling result/);
		assert.match(answer, /forty-two/);
		assert.match(answer, /stub-model/);
	});

	test('elicitation asked by the server becomes an input round, answered by the client\'s handler', async () => {
		const client = await open({capabilities: {elicitation: {}}});
		let message = '';
		client.setRequestHandler('elicitation/create', async request => {
			message = request.params.message;
			return {action: 'accept', content: {name: 'Alice Example', check: true, integer: 7}};
		});
		const result = await client.callTool({name: 'trigger-elicitation-request', arguments: {}});
		assert.match(message, /Please provide inputs/);
		const answer = texts(result).join('\n');
		assert.match(answer, /User provided the requested information/);
		assert.match(answer, /- Name: Alice Example/);
		assert.match(answer, /- Agreed to terms: true/);
		assert.match(answer, /- Favorite Integer: 7/);
	});

	test('a declined elicitation reaches the server as declined', async () => {
		const client = await open({capabilities: {elicitation: {}}});
		client.setRequestHandler('elicitation/create', async () => ({action: 'decline'}));
		const result = await client.callTool({name: 'trigger-elicitation-request', arguments: {}});
		assert.match(texts(result).join('\n'), /User declined/);
	});

	test('roots asked by the server during a call come from the client\'s handler', async () => {
		const client = await open({capabilities: {roots: {}}});
		client.setRequestHandler('roots/list', async () => ({roots: [{uri: 'file:///work/project', name: 'project'}]}));
		const result = await client.callTool({name: 'get-roots-list', arguments: {}});
		const answer = texts(result).join('\n');
		assert.match(answer, /Current MCP Roots \(1 total\)/);
		assert.match(answer, /URI: file:\/\/\/work\/project/);
	});

	test('one shared modern child served every client', async () => {
		const rows = mcpd.supervisor.sessions().filter(row => row.server === 'everything');
		assert.equal(rows.length, 1, JSON.stringify(rows));
		assert.equal(rows[0].era, 'modern');
		assert.equal(rows[0].state, 'live');
		assert.equal(rows[0].inFlight, 0);
	});
});
