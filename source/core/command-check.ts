import type {ServerConfig} from '../config/types.js';
import {childEnv} from './process/child-env.js';
import {findCommand} from './process/find-command.js';

export type CommandProblem = {
	server: string;
	command: string;
	why: 'not found' | 'not executable';
	/**
	The PATH the child would get (for a bare name), or the resolved file (for a path).
	*/
	where: string;
};

/**
 Enabled servers whose command cannot be run, found by a PATH lookup with
 each child's own PATH and cwd, so a typo shows at start-up and not first
 to a client. Only looks; a server reported here is still served.
 */
export function commandProblems(servers: readonly ServerConfig[], parentEnv: NodeJS.ProcessEnv, cwd = process.cwd()): CommandProblem[] {
	const problems: CommandProblem[] = [];
	for (const server of servers) {
		if (!server.enabled) {
			continue;
		}

		const env = childEnv(parentEnv, {inheritEnv: server.inheritEnv, env: server.env});
		const lookup = findCommand(server.command, {path: env.PATH, cwd: server.cwd ?? cwd});
		if (lookup.found) {
			continue;
		}

		const where = server.command.includes('/') ? lookup.searched[0] : env.PATH ?? '';
		problems.push({
			server: server.name, command: server.command, why: lookup.why, where,
		});
	}

	return problems;
}

/**
One line for people: `server.fs: command "npx" not found on PATH /usr/bin:/bin`.
*/
export function describeCommandProblem(problem: CommandProblem): string {
	const {server, command, why, where} = problem;
	return command.includes('/')
		? `server.${server}: command ${JSON.stringify(command)} ${why === 'not found' ? 'does not exist' : 'is not executable'} (${where})`
		: `server.${server}: command ${JSON.stringify(command)} ${why} on PATH ${where === '' ? '(empty)' : where}`;
}
