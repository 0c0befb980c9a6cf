/**
 Load: 64 legacy sessions with several calls in flight each, and a few modern
 identities at the same time, mostly small echoes with some 64 KiB–1 MiB
 payloads either way. Every answer must be the one to its own request: same
 JSON-RPC id, and content derived from what that request sent.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import {after, before, describe, test} from 'node:test';
import {modernClient, server, startMcpd, testConfig, type Running} from '../helpers/mcpd.js';
import {assertNoNewChildren, descendants} from '../helpers/processes.js';
import {callProblem, closeSession, describe as show, openSession, pool, send, TIMEOUT_MS, toolCall} from '../helpers/keep-alive-http.js';

const KiB = 1024;
const MiB = 1024 * KiB;
const SESSIONS = 64;
/**
About 40 s alone on 2 cores: the longest file of the suite, and worth it.
*/
const CALLS = 500;
const IN_FLIGHT = 4;
const IDENTITIES = 4;
const MODERN_CALLS = 300;

/**
A small seeded generator, so a failing call can be replayed from its session and index.
*/
function random(seed: number): () => number {
	let state = (seed * 2_654_435_761) >>> 0 || 1;
	return () => {
		state ^= state << 13;
		state ^= state >>> 17;
		state ^= state << 5;
		return (state >>> 0) / 2 ** 32;
	};
}

/**
Some multi-byte characters, so a byte count and a character count differ and chunk edges split characters.
*/
const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789 é€😀';

/**
Random text to take slices of: building each large payload character by character would cost more than its trip.
*/
const SOURCE = (() => {
	const next = random(7);
	const chars = [...ALPHABET];
	return Array.from({length: 1.2 * MiB}, () => chars[Math.floor(next() * chars.length)]).join('');
})();

const lowSurrogate = (index: number) => (SOURCE.charCodeAt(index) & 0xFC_00) === 0xDC_00;

/**
About `length` UTF-16 units of text from a random place in SOURCE, never splitting an emoji's surrogate pair.
*/
function filler(next: () => number, length: number): string {
	let start = Math.floor(next() * (SOURCE.length - length - 1));
	let end = start + length;
	if (lowSurrogate(start)) {
		start++;
	}

	if (lowSurrogate(end)) {
		end++;
	}

	return SOURCE.slice(start, end);
}

type Call = {
	tool: string;
	args: Record<string, unknown>;
	/**
	Undefined when the first text of the result is what is expected, else what is wrong with it.
	*/
	check(text: string): string | undefined;
	large: boolean;
};

const exactly = (expected: string) => (text: string) => text === expected ? undefined : `expected ${show(expected)}, got ${show(text)}`;

/**
 Call `index` of client `owner`. Each carries its owner and index in what it
 sends, so an answer delivered to the wrong request cannot pass. About 1 in
 50 is large: `big` (a response of n × "x"), `size_of` (a request of n
 characters) or an echo of n characters both ways, n in 64 KiB–1 MiB.
 */
function callFor(owner: string, index: number, next: () => number): Call {
	const tag = `${owner}#${index}:`;
	const roll = next();
	const size = 64 * KiB + Math.floor(next() * (MiB - 64 * KiB));
	if (roll < 0.007) {
		const bytes = size + index;
		return {
			tool: 'big', args: {bytes}, check: exactly('x'.repeat(bytes)), large: true,
		};
	}

	if (roll < 0.014) {
		const data = tag + filler(next, size);
		return {
			tool: 'size_of', args: {data}, check: exactly(String(data.length)), large: true,
		};
	}

	if (roll < 0.021) {
		const message = tag + filler(next, size);
		return {
			tool: 'echo', args: {message}, check: exactly(message), large: true,
		};
	}

	const message = tag + filler(next, Math.floor(next() * 2 * KiB));
	return {
		tool: 'echo', args: {message}, check: exactly(message), large: false,
	};
}

describe('load: legacy sessions and modern identities at once', () => {
	let mcpd: Running;
	let childrenBefore: number[];
	const agent = new http.Agent({keepAlive: true});

	before(async () => {
		childrenBefore = descendants();
		mcpd = await startMcpd(testConfig([server('fx', {headerEnv: {'x-load-user': 'LOAD_USER'}})]));
	});

	after(async () => {
		agent.destroy();
		await mcpd.close();
		await assertNoNewChildren(childrenBefore);
	});

	test(`${SESSIONS} sessions × ${CALLS} calls (${IN_FLIGHT} in flight each) beside ${IDENTITIES} modern identities × ${MODERN_CALLS}: no error, every answer its own`, async () => {
		const url = mcpd.url('fx');
		const problems: string[] = [];
		const counts = {legacy: 0, modern: 0, large: 0};
		const problem = (what: string) => {
			problems.push(what);
		};

		// Sampled while the load runs: proof that requests really overlap within a session.
		let mostInFlight = 0;
		const sampler = setInterval(() => {
			for (const row of mcpd.supervisor.sessions()) {
				mostInFlight = Math.max(mostInFlight, row.inFlight);
			}
		}, 20);

		const legacy = async (session: number) => {
			const owner = `s${session}`;
			const next = random(session + 1);
			const {id: sessionId, headers} = await openSession(agent, url, `load-${session}`);
			let issued = 0;
			await Promise.all(Array.from({length: IN_FLIGHT}, async () => {
				while (issued < CALLS) {
					const index = issued++;
					const call = callFor(owner, index, next);
					// Numbers and strings both: the id must come back as it was sent, type included.
					const id = index % 2 === 0 ? index + 1 : `${owner}-${index}`;
					const answer = await send(agent, url, {headers, body: toolCall(id, call.tool, call.args)});
					const wrong = callProblem(answer, id, call.check);
					if (wrong) {
						problem(`${owner} call ${index} (${call.tool}): ${wrong}`);
					}

					counts.legacy++;
					if (call.large) {
						counts.large++;
					}
				}
			}));
			const row = mcpd.supervisor.sessions().find(other => other.id === sessionId);
			// The session's own count of requests: initialize plus every call, so nothing was lost or doubled.
			if (row?.requests !== CALLS + 1) {
				problem(`${owner}: mcpd counted ${row?.requests} requests, expected ${CALLS + 1}`);
			}

			await closeSession(agent, url, headers);
			if (mcpd.supervisor.get(sessionId) !== undefined) {
				problem(`${owner}: still listed after DELETE`);
			}
		};

		const modern = async (identity: number) => {
			const user = `user-${identity}`;
			const client = await modernClient(url, {headers: {'x-load-user': user}, name: `load-modern-${identity}`});
			const text = (result: unknown) => ((result as {content: Array<{text: string}>}).content[0]).text;
			try {
				// The identity's child got this user's header as its env, and keeps serving it: no other user's child answered.
				const whoami = async () => text(await client.callTool({name: 'env', arguments: {names: ['LOAD_USER']}}, {timeout: TIMEOUT_MS}));
				const pidOf = async () => text(await client.callTool({name: 'pid', arguments: {}}, {timeout: TIMEOUT_MS}));
				const pid = await pidOf();
				const expectedEnv = JSON.stringify({LOAD_USER: user});
				const before = await whoami();
				if (before !== expectedEnv) {
					problem(`${user}: its child has ${before}`);
				}

				const next = random(1000 + identity);
				let issued = 0;
				await Promise.all(Array.from({length: IN_FLIGHT}, async () => {
					while (issued < MODERN_CALLS) {
						const index = issued++;
						const call = callFor(user, index, next);
						try {
							const result = await client.callTool({name: call.tool, arguments: call.args}, {timeout: TIMEOUT_MS});
							const wrong = result.isError === true ? `tool error: ${text(result)}` : call.check(text(result));
							if (wrong) {
								problem(`${user} call ${index} (${call.tool}): ${wrong}`);
							}
						} catch (error) {
							problem(`${user} call ${index} (${call.tool}): ${(error as Error).message}`);
						}

						counts.modern++;
						if (call.large) {
							counts.large++;
						}
					}
				}));
				const afterwards = await whoami();
				if (afterwards !== expectedEnv) {
					problem(`${user}: after the load its child has ${afterwards}`);
				}

				if (await pidOf() !== pid) {
					problem(`${user}: its child was replaced under load`);
				}
			} finally {
				await client.close();
			}
		};

		try {
			await Promise.all([
				pool(SESSIONS, SESSIONS, async session => legacy(session).catch((error: unknown) => {
					problem(`s${session}: ${(error as Error).message}`);
				})),
				pool(IDENTITIES, IDENTITIES, async identity => modern(identity).catch((error: unknown) => {
					problem(`user-${identity}: ${(error as Error).message}`);
				})),
			]);
		} finally {
			clearInterval(sampler);
		}

		assert.deepEqual(problems.slice(0, 10), [], `${problems.length} problem(s)`);
		assert.equal(counts.legacy, SESSIONS * CALLS);
		assert.equal(counts.modern, IDENTITIES * MODERN_CALLS);
		// The seeded mix has large payloads in it (about 3 %), not just small echoes.
		assert.ok(counts.large >= 200, `only ${counts.large} large calls`);
		assert.ok(mostInFlight >= 2, `at most ${mostInFlight} request(s) were in flight in one child at a time`);
		// Every legacy session was deleted; what remains is one modern child per identity, even where the
		// identity's first request waited out the server's start-up limit (that once left a spare behind).
		const rows = mcpd.supervisor.sessions();
		assert.ok(rows.every(row => row.era === 'modern'), JSON.stringify(rows.map(row => row.era)));
		assert.equal(new Set(rows.map(row => row.identity)).size, IDENTITIES);
		assert.equal(rows.length, IDENTITIES, `${rows.length} modern children for ${IDENTITIES} identities`);
	});
});
