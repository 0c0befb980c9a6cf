/**
 What the chat page talks to: the agent's server, its endpoint, and the keys
 its users may bring (the server's `header_env`). Decided from the config
 alone, without starting anything: a key-hungry agent could not even list its
 tools before a user has entered a key.
 */
import type {Config} from '../config/types.js';

export type ChatKey = {
	/**
	Request header, lower-cased as in the config.
	*/
	header: string;
	/**
	The variable it sets in the session's child; the page labels the field with it.
	*/
	variable: string;
	/**
	The server already gets this variable from mcpd (its `env`, or `inherit_env`), so a user's own is optional.
	*/
	preset: boolean;
};

export type ChatTarget = {
	server: string;
	/**
	Path of the server's MCP endpoint on this mcpd.
	*/
	endpoint: string;
	tool: string;
	/**
	Seconds, the tool's own `timeout` argument.
	*/
	timeout: number;
	/**
	The page's hard cap on one run.
	*/
	maxTotalMs: number;
	keys: ChatKey[];
	/**
	The server maps keys and has none of its own: a user must enter one.
	*/
	keysRequired: boolean;
};

export type ChatTargetResult = {target: ChatTarget} | {problem: string};

export function chatTarget(config: Config, parentEnv: NodeJS.ProcessEnv): ChatTargetResult {
	const enabled = config.servers.filter(server => server.enabled);
	const {agent} = config;
	let name: string;
	if (agent.server !== '') {
		if (enabled.every(server => server.name !== agent.server)) {
			return {problem: `[agent] server = "${agent.server}" names no enabled server, so the chat page has nothing to talk to`};
		}

		name = agent.server;
	} else if (enabled.length === 1) {
		name = enabled[0].name;
	} else {
		const names = enabled.map(server => server.name).join(', ') || 'none';
		return {problem: `the chat page needs to know the agent's server: set [agent] server (enabled servers: ${names})`};
	}

	const server = enabled.find(entry => entry.name === name)!;
	const has = (variable: string) => Boolean(server.env[variable] || (server.inheritEnv && parentEnv[variable]));
	const keys = Object.entries(server.headerEnv).map(([header, variable]) => ({header, variable, preset: has(variable)}));
	return {
		target: {
			server: name,
			endpoint: `/servers/${encodeURIComponent(name)}/mcp`,
			tool: agent.tool,
			timeout: agent.timeout,
			maxTotalMs: agent.maxTotalMs,
			keys,
			keysRequired: keys.length > 0 && keys.every(key => !key.preset),
		},
	};
}
