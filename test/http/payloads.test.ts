/**
Large messages both ways: no line-length limit anywhere in the relay.
*/
import assert from 'node:assert/strict';
import {after, describe, test} from 'node:test';
import {CallToolResultSchema} from '@modelcontextprotocol/sdk/types.js';
import {server, testConfig, mcpdForSuite} from '../helpers/mcpd.js';

const MiB = 1024 * 1024;
const text = (result: unknown) => ((result as {content: Array<{text: string}>}).content[0]).text;

describe('large payloads', () => {
	const mcpd = mcpdForSuite(() => testConfig([server('fx')]));

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
