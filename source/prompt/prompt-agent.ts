/**
 Wiring for the dashboard: a `PromptController` whose agent is found (and
 connected) through mcpd's own HTTP endpoint on the first submit.
 */
import type {AgentConfig} from '../config/types.js';
import {AgentClient} from '../agent/agent-client.js';
import {findAgentServer} from '../agent/discover.js';
import {authHeaders} from '../agent/endpoint.js';
import {PromptController} from './prompt-controller.js';

export type PromptAgentOptions = {
	/**
	Mcpd's own base URL, reachable from this process (see `connectableBase`).
	*/
	base: string | URL;
	/**
	Enabled servers in config order.
	*/
	servers: string[];
	agent: AgentConfig;
	/**
	`[http] token`, when set.
	*/
	token?: string;
	/**
	From `watchEndedSessions(supervisor.events)`, so a child that dies at start shows its stderr.
	*/
	stderrOf?: (sessionId: string) => string[] | undefined;
};

export function createPromptController(options: PromptAgentOptions): PromptController {
	const {agent} = options;
	const headers = authHeaders(options.token);
	return new PromptController({
		tool: agent.tool,
		timeout: agent.timeout,
		maxTotalMs: agent.maxTotalMs,
		async connect() {
			const found = await findAgentServer({
				base: options.base, servers: options.servers, configured: agent.server, tool: agent.tool, headers,
			});
			return {server: found.server, runner: new AgentClient({url: found.url, headers, stderrOf: options.stderrOf})};
		},
	});
}
