import type {EventEmitter} from 'node:events';
import type {CoreEvents} from '../core/events.js';

export type EndedSessions = {
	/**
	The stderr tail of a session whose child ended on its own (crash, exit); undefined otherwise.
	*/
	stderrOf(sessionId: string): string[] | undefined;
	dispose(): void;
};

/**
 Remembers the stderr of children that ended by themselves, for an in-process
 `AgentClient`: by the time its request gets mcpd's 404, the session (and its
 stderr) is gone from the supervisor. Bounded; only the latest few are kept.
 */
export function watchEndedSessions(events: EventEmitter<CoreEvents>, keep = 20): EndedSessions {
	const ended = new Map<string, string[]>();
	const onClosed = (event: CoreEvents['session-closed'][0]): void => {
		if (event.reason !== 'crash' && event.reason !== 'exit' && event.reason !== 'spawn-failed' && event.reason !== 'init-failed' && event.reason !== 'start-timeout') {
			return;
		}

		ended.set(event.id, event.stderrTail);
		for (const id of ended.keys()) {
			if (ended.size <= keep) {
				break;
			}

			ended.delete(id);
		}
	};

	events.on('session-closed', onClosed);
	return {
		stderrOf: sessionId => ended.get(sessionId),
		dispose() {
			events.off('session-closed', onClosed);
		},
	};
}
