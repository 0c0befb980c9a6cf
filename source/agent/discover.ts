/**
 Which configured server is the agent: the one named in `[agent] server`,
 else the only server, else the one whose tools include the agent tool.
 */
import {AgentClient} from './agent-client.js';
import {failureOf, goneSessionOf} from './errors.js';
import {noAgentServerMessage} from './setup-help.js';

/**
The agent cannot be used as configured; the message says how to fix it.
*/
export class AgentSetupError extends Error {
	override name = 'AgentSetupError';
}

export type FindAgentServerOptions = {
	/**
	Mcpd's base URL, e.g. `http://127.0.0.1:3000`.
	*/
	base: string | URL;
	/**
	Enabled servers, in config order (that order breaks ties).
	*/
	servers: string[];
	/**
	`[agent] server`; empty or undefined to discover.
	*/
	configured?: string;
	tool: string;
	headers?: Record<string, string>;
};

export type AgentServer = {
	server: string;
	url: URL;
};

export function serverUrl(base: string | URL, server: string): URL {
	return new URL(`/servers/${encodeURIComponent(server)}/mcp`, base);
}

export async function findAgentServer(options: FindAgentServerOptions): Promise<AgentServer> {
	const {base, servers, configured, tool} = options;
	if (configured) {
		if (!servers.includes(configured)) {
			throw new AgentSetupError(`[agent] server = "${configured}" names no enabled server (servers: ${servers.join(', ') || 'none'})`);
		}

		return {server: configured, url: serverUrl(base, configured)};
	}

	if (servers.length === 1) {
		return {server: servers[0], url: serverUrl(base, servers[0])};
	}

	// One short session per server, at once: each costs a process start, not a model call.
	const found = await Promise.all(servers.map(async server => toolsOf(options, server)));
	const match = found.find(entry => entry.tools?.includes(tool));
	if (match) {
		return {server: match.server, url: serverUrl(base, match.server)};
	}

	const unreachable = found.find(entry => entry.unreachable);
	if (unreachable) {
		throw new AgentSetupError(unreachable.note);
	}

	throw new AgentSetupError(noAgentServerMessage(tool, found.map(entry => entry.note)));
}

type Listing = {
	server: string;
	tools?: string[];
	note: string;
	unreachable?: boolean;
};

async function toolsOf({base, headers}: FindAgentServerOptions, server: string): Promise<Listing> {
	const client = new AgentClient({
		url: serverUrl(base, server), headers, tag: 'discover', clientName: 'mcpd-discover',
	});
	try {
		const tools = await client.listTools();
		return {server, tools, note: `${server}: tools ${tools.join(', ') || '(none)'}`};
	} catch (error) {
		// Mcpd forgets a session whose child died right after `initialize`; the next request meets a 404.
		if (goneSessionOf(error) !== undefined) {
			return {server, note: `${server}: its process exited right after it started`};
		}

		const outcome = failureOf(error, new URL(base).origin);
		const failed = outcome.kind === 'failed' ? outcome : undefined;
		const lastWords = failed?.stderr?.at(-1);
		const message = (failed ?? (outcome.kind === 'timeout' ? outcome : undefined))?.message ?? String(error);
		const unreachable = failed?.cause === 'unreachable';
		return lastWords ? {server, note: `${server}: could not list its tools (${message}; its stderr: ${lastWords})`} : {server, note: unreachable ? message : `${server}: could not list its tools (${message})`, unreachable};
	} finally {
		await client.close();
	}
}
