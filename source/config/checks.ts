/**
 Rules spanning several keys, run once every value has the right shape.
 Each problem points at the key the user wrote, so it can be fixed in place.
 */
import type {RawConfig} from './schema.js';
import {formatKey} from './errors.js';
import {suggest} from './suggest.js';

export type CrossProblem = {
	path: string[];
	reason: string;
};

/**
`input` is the TOML before defaults, to tell a key the user set from a default.
*/
export function crossCheck(config: RawConfig, input: unknown): CrossProblem[] {
	const problems: CrossProblem[] = [];
	const names = Object.keys(config.server);

	for (const name of names) {
		const server = config.server[name];
		if (server.request_timeout_max < server.request_timeout) {
			// Blame the key that is actually in the file: the cap may be a default.
			problems.push(
				isSet(input, ['server', name, 'request_timeout_max'])
					? {path: ['server', name, 'request_timeout_max'], reason: `must be ≥ request_timeout (${server.request_timeout})`}
					: {path: ['server', name, 'request_timeout'], reason: `must be ≤ request_timeout_max (${server.request_timeout_max}, the default)`},
			);
		}

		// A spare child is spawned before its session exists, so before the headers that would set its env.
		if (server.prewarm > 0 && Object.keys(server.header_env).length > 0) {
			problems.push({
				path: ['server', name, 'prewarm'],
				reason: 'cannot be used with header_env: a legacy session\'s env is known only at its initialize (2026-07-28 identities keep their child warm already)',
			});
		}

		// Header names are case-insensitive, so `X-Key` and `x-key` would silently compete.
		const seen = new Map<string, string>();
		for (const header of Object.keys(server.header_env)) {
			const first = seen.get(header.toLowerCase());
			if (first === undefined) {
				seen.set(header.toLowerCase(), header);
			} else {
				problems.push({path: ['server', name, 'header_env', header], reason: `repeats ${first} (header names are case-insensitive)`});
			}
		}
	}

	// The request timeout runs from the request's first byte, so headers can never have longer than it.
	const {headers_timeout: headers, request_timeout: request} = config.http;
	if (headers > 0 && request > 0 && headers > request) {
		problems.push(
			isSet(input, ['http', 'request_timeout'])
				? {path: ['http', 'request_timeout'], reason: `must be 0 or ≥ headers_timeout (${headers})`}
				: {path: ['http', 'headers_timeout'], reason: `must be ≤ request_timeout (${request}, the default)`},
		);
	}

	const agent = config.agent.server;
	if (agent !== '' && !names.includes(agent)) {
		const guess = suggest(agent, names);
		const hint = guess === undefined ? `configured: ${names.join(', ') || 'none'}` : `did you mean ${guess}?`;
		problems.push({path: ['agent', 'server'], reason: `names no [${formatKey(['server', agent])}] table (${hint})`});
	}

	return problems;
}

/**
 Zod drops a `__proto__` key from records without a word (and smol-toml keeps
 it), so `[server.__proto__]` would vanish silently; report it instead.
 */
export function protoKeys(input: unknown, path: string[] = []): CrossProblem[] {
	if (typeof input !== 'object' || input === null || Array.isArray(input)) {
		return [];
	}

	return Object.entries(input).flatMap(([key, value]) =>
		key === '__proto__' ? [{path: [...path, key], reason: 'is not allowed as a key'}] : protoKeys(value, [...path, key]),
	);
}

function isSet(input: unknown, path: readonly string[]): boolean {
	let node = input;
	for (const key of path) {
		if (typeof node !== 'object' || node === null || !Object.hasOwn(node, key)) {
			return false;
		}

		node = (node as Record<string, unknown>)[key];
	}

	return true;
}
