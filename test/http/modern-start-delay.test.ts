/**
 A modern identity whose first request must wait for the server's start-up
 limit (another child of the server is still starting) keeps one child: the
 wait must not leave the identity's first child where later requests of the
 same identity cannot find it.
 */
import assert from 'node:assert/strict';
import {after, before, describe, test} from 'node:test';
import {FIXTURE, modernClient, server, startMcpd, testConfig, type Running} from '../helpers/mcpd.js';
import {assertNoNewChildren, descendants} from '../helpers/processes.js';

/**
Long enough that the modern request certainly arrives while the first child starts.
*/
const SLOW_START_MS = 1200;

describe('a modern identity that waits out the start-up limit', () => {
	let mcpd: Running;
	let childrenBefore: number[];

	before(async () => {
		childrenBefore = descendants();
		// Crash_limit = 1: until one child has answered `initialize`, one child starts at a time.
		const slow = server('slow', {
			args: ['-e', `setTimeout(() => import(process.argv[1]), ${SLOW_START_MS})`, FIXTURE],
			headerEnv: {'x-user': 'DELAY_USER'},
			crashLimit: 1,
		});
		mcpd = await startMcpd(testConfig([slow]));
	});

	after(async () => {
		await mcpd.close();
		await assertNoNewChildren(childrenBefore);
	});

	test('keeps one child, and every call of the identity reaches it', async () => {
		const url = mcpd.url('slow');
		// A legacy session's child starts first and holds the server's only start-up slot.
		const legacy = mcpd.client('slow');
		await new Promise(resolve => setTimeout(resolve, 100));
		const modern = await modernClient(url, {headers: {'x-user': 'ada'}});
		const pid = async () => ((await modern.callTool({name: 'pid', arguments: {}})).content[0] as {text: string}).text;
		try {
			const first = await pid();
			await legacy;
			const second = await pid();
			const third = await pid();
			assert.deepEqual([second, third], [first, first]);
			const modernRows = mcpd.supervisor.sessions().filter(row => row.era === 'modern');
			assert.equal(modernRows.length, 1, JSON.stringify(modernRows.map(row => ({id: row.id, pid: row.pid}))));
		} finally {
			await modern.close();
		}
	});
});
