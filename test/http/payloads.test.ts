/**
Large messages both ways: no line-length limit anywhere in the relay.
*/
import assert from 'node:assert/strict';
import {after, before, describe, test} from 'node:test';
import {CallToolResultSchema} from '@modelcontextprotocol/sdk/types.js';
import {startMcpd, server, testConfig, type Running} from '../helpers/mcpd.js';
import {assertNoNewChildren, descendants} from '../helpers/processes.js';

const MiB = 1024 * 1024;
const text = (result: unknown) => ((result as {content: Array<{text: string}>}).content[0]).text;

describe('large payloads', () => {
	let mcpd: Running;
	let childrenBefore: number[];

	before(async () => {
		childrenBefore = descendants();
		mcpd = await startMcpd(testConfig([server('fx')]));
	});

	after(async () => {
		await mcpd.close();
		await assertNoNewChildren(childrenBefore);
	});

	for (const size of [1 * MiB, 8 * MiB]) {
		test(`a ${size / MiB} MiB response and a ${size / MiB} MiB request`, async () => {
			const {client} = await mcpd.client('fx');
			const big = text(await client.callTool({name: 'big', arguments: {bytes: size}}, CallToolResultSchema, {timeout: 30_000}));
			assert.equal(big.length, size);
			assert.match(big, /^x+$/);
			const data = 'é'.repeat(size / 2); // Multi-byte, so chunk boundaries split characters
			assert.equal(text(await client.callTool({name: 'size_of', arguments: {data}}, CallToolResultSchema, {timeout: 30_000})), String(data.length));
			// The session is still in step afterwards.
			assert.equal(text(await client.callTool({name: 'echo', arguments: {message: 'after'}})), 'after');
		});
	}
});
