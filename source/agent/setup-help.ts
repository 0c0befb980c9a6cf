/**
 What to tell a user whose agent is not set up: the config the code-mode agent
 (draphonix/mcp-code-mode) needs, and the tail of a child's stderr when it died for lack of it.
 */
import type {AgentOutcome} from './outcome.js';

/**
The code-mode agent server (draphonix/mcp-code-mode), as mcpd.toml runs it.
*/
export const AGENT_CONFIG_SNIPPET = [
	'[agent]',
	'server = "agent"',
	'',
	'[server.agent]',
	'command = "python"',
	'args = ["-m", "mcp_code_mode.executor_server"]',
	'',
	'[server.agent.env]',
	'OPENAI_API_KEY = "${env:OPENAI_API_KEY}"   # or GEMINI_API_KEY = "${env:GEMINI_API_KEY}"',
].join('\n');

const indent = (text: string) => text.split('\n').map(line => (line === '' ? line : `  ${line}`)).join('\n');

export function noAgentServerMessage(tool: string, notes: string[]): string {
	const looked = notes.length > 0 ? `\n${notes.map(note => `  - ${note}`).join('\n')}\n` : ' (no servers are configured)\n';
	return `no server offers the "${tool}" tool:${looked}\nName the agent's server in mcpd.toml, e.g. for the code-mode agent:\n\n${indent(AGENT_CONFIG_SNIPPET)}\n`;
}

/**
How many stderr lines a failure shows; mcpd sends up to 20.
*/
const STDERR_LINES = 12;

/**
A failure for people: what happened, the child's last words, and the fix when it is a missing key.
*/
export function describeFailure(outcome: Extract<AgentOutcome, {kind: 'failed'}>): string {
	const parts = [outcome.message];
	const stderr = outcome.stderr ?? [];
	if (stderr.length > 0) {
		parts.push(`Last lines of its stderr:\n${indent(stderr.slice(-STDERR_LINES).join('\n'))}`);
	}

	if (stderr.some(line => /api[ _]?key/i.test(line))) {
		parts.push(`The agent needs OPENAI_API_KEY or GEMINI_API_KEY in its environment; in mcpd.toml:\n\n${indent(['[server.agent.env]', 'OPENAI_API_KEY = "${env:OPENAI_API_KEY}"'].join('\n'))}\n\nand start mcpd with that variable set.`);
	}

	return parts.join('\n\n');
}
