/**
 * One agent run on a session of its own, closed afterwards. Callers that run
 * more than once (the prompt pane) keep an `AgentClient` instead.
 */
import {AgentClient, type AgentClientOptions, type RunOptions} from './agent-client.js';
import type {AgentOutcome} from './outcome.js';

export {AgentClient, type AgentClientOptions, type RunOptions} from './agent-client.js';
export type {AgentOutcome, AgentProgress, FailureCause} from './outcome.js';

export type RunAgentOptions = AgentClientOptions & RunOptions;

export async function runAgent(options: RunAgentOptions): Promise<AgentOutcome> {
	const client = new AgentClient(options);
	try {
		return await client.run(options);
	} finally {
		await client.close();
	}
}
