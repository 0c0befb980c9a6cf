import type {CloseReason} from '../events.js';
import type {ChildExit} from './child.js';

/**
How many stderr lines travel with a crash error, enough to see a traceback's end.
*/
export const CRASH_TAIL_LINES = 20;

/**
Why a child's session ended: what mcpd asked for, else what the exit says.
*/
export function exitReason(exit: ChildExit, wanted: CloseReason | undefined): CloseReason {
	if (wanted) {
		return wanted;
	}

	if (exit.spawnError) {
		return 'spawn-failed';
	}

	return exit.exitCode === 0 && exit.signal === undefined ? 'exit' : 'crash';
}

/**
`exit code 3`, `killed by SIGKILL`, or the spawn error.
*/
export function describeExit(exit: ChildExit): string {
	return exit.spawnError ?? (exit.signal ? `killed by ${exit.signal}` : `exit code ${exit.exitCode}`);
}
