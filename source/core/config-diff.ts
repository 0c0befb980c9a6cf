import {isDeepStrictEqual} from 'node:util';
import type {Config} from '../config/types.js';

export type ConfigDiff = {
	added: string[];
	removed: string[];
	changed: string[];
	/**
	Settings that only a restart applies (`http.port`, `log.level`…): the running ones stay.
	*/
	needRestart: string[];
};

/**
Sections whose settings are read once, when mcpd starts listening or draws its screen.
*/
const FIXED_SECTIONS = ['http', 'log', 'agent', 'web'] as const;

/**
What a reload from `before` to `after` would change.
*/
export function diffConfig(before: Config, after: Config): ConfigDiff {
	const old = new Map(before.servers.map(server => [server.name, server]));
	const next = new Map(after.servers.map(server => [server.name, server]));
	const needRestart: string[] = [];
	for (const section of FIXED_SECTIONS) {
		for (const key of new Set([...Object.keys(before[section]), ...Object.keys(after[section])])) {
			const a = (before[section] as unknown as Record<string, unknown>)[key];
			const b = (after[section] as unknown as Record<string, unknown>)[key];
			if (!isDeepStrictEqual(a, b)) {
				needRestart.push(`${section}.${key}`);
			}
		}
	}

	return {
		added: [...next.keys()].filter(name => !old.has(name)),
		removed: [...old.keys()].filter(name => !next.has(name)),
		changed: [...next.keys()].filter(name => old.has(name) && !isDeepStrictEqual(old.get(name), next.get(name))),
		needRestart,
	};
}
