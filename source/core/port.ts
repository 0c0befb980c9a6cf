import type {EventEmitter} from 'node:events';
import type {CoreEvents, ServerInfo, SessionInfo} from './events.js';

/**
One stderr line kept in a session's ring buffer.
*/
export type StderrLine = {
	time: number;
	line: string;
};

export type KillResult = 'killed' | 'not-found';

/**
 What the dashboard, the headless log and `/status` may use of the supervisor:
 read state, listen to events, send commands. Nothing here exposes processes.
 */
export type SupervisorPort = {
	readonly events: EventEmitter<CoreEvents>;
	servers(): ServerInfo[];
	sessions(): SessionInfo[];
	/**
	Oldest first; empty for an unknown id.
	*/
	stderrTail(sessionId: string): StderrLine[];
	/**
	SIGTERM the session's process group, SIGKILL after the grace; `force` sends SIGKILL at once.
	*/
	kill(sessionId: string, options?: {force?: boolean}): Promise<KillResult>;
	/**
	Ends every session of the server (its next `initialize` spawns fresh) and lifts its quarantine; resolves to how many sessions.
	*/
	restartServer(name: string): Promise<number>;
};
