import {EventEmitter} from 'node:events';
import type {CoreEvents, ServerInfo, SessionInfo} from '../../source/core/events.js';
import type {KillResult, StderrLine, SupervisorPort} from '../../source/core/port.js';
import type {LatencySnapshot, LatencyStats} from '../../source/store/types.js';

/**
A test double of the supervisor: arrays for state, an emitter for events, and a log of commands.
*/
export class FakeSupervisor implements SupervisorPort {
	readonly events = new EventEmitter<CoreEvents>();
	serverList: ServerInfo[] = [];
	sessionList: SessionInfo[] = [];
	tails = new Map<string, StderrLine[]>();
	readonly kills: Array<{id: string; force: boolean}> = [];
	readonly restarts: string[] = [];
	killResult: KillResult = 'killed';

	servers(): ServerInfo[] {
		return this.serverList;
	}

	sessions(): SessionInfo[] {
		return this.sessionList;
	}

	stderrTail(id: string): StderrLine[] {
		return this.tails.get(id) ?? [];
	}

	async kill(id: string, options?: {force?: boolean}): Promise<KillResult> {
		this.kills.push({id, force: options?.force ?? false});
		return this.killResult;
	}

	async restartServer(name: string): Promise<number> {
		this.restarts.push(name);
		return this.sessionList.filter(s => s.server === name).length;
	}

	/**
	Emits `session-opened` and keeps the session in `sessions()`.
	*/
	open(partial: Partial<SessionInfo> & {id: string; server: string}): SessionInfo {
		const info = session(partial);
		this.sessionList.push(info);
		this.events.emit('session-opened', info);
		return info;
	}

	close(id: string, state: 'closed' | 'crashed' = 'closed'): void {
		const info = this.sessionList.find(s => s.id === id);
		this.sessionList = this.sessionList.filter(s => s.id !== id);
		this.events.emit('session-closed', {
			id, server: info?.server ?? '?', reason: state === 'crashed' ? 'crash' : 'delete', state, exitCode: undefined, signal: undefined, stderrTail: [],
		});
	}

	stderr(sessionId: string, line: string, time = Date.now()): void {
		const server = this.sessionList.find(s => s.id === sessionId)?.server ?? '?';
		this.events.emit('stderr', {
			sessionId, server, line, time,
		});
	}
}

export function server(name: string, extra: Partial<ServerInfo> = {}): ServerInfo {
	return {
		name, state: 'ready', command: 'node', args: [], sessions: 0, crashes: 0, failures: 0, retryAt: undefined, lastFailure: undefined, spawned: 0, prewarmed: 0, unattributed: 0, ...extra,
	};
}

export function session(partial: Partial<SessionInfo> & {id: string; server: string}): SessionInfo {
	const now = Date.now();
	return {
		era: 'legacy', identity: undefined, pid: 4242, state: 'live', clientName: 'test-client', clientVersion: '1.0', protocolVersion: '2025-06-18', tag: undefined, startedAt: now, lastActivity: now, requests: 0, errors: 0, inFlight: 0, ...partial,
	};
}

const noStats: LatencyStats = {
	count: 0, rps: 0, errorsPerSec: 0, p50: null, p95: null, p99: null, max: null,
};

export function emptyLatency(): LatencySnapshot {
	return {
		windowSeconds: 60, overall: {...noStats}, servers: {}, sessions: {},
	};
}

export {noStats};
