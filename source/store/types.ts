import type {CloseReason, ServerState, SessionState} from '../core/events.js';

/** Mirrors the metrics recorder's stats; structural so the store does not import it. */
export interface LatencyStats {
	count: number;
	rps: number;
	errorsPerSec: number;
	/** Milliseconds; null when the window holds no request. */
	p50: number | null;
	p95: number | null;
	p99: number | null;
	max: number | null;
}

export interface ServerLatency extends LatencyStats {
	methods: Record<string, LatencyStats>;
	/** Requests per bucket, oldest first, for a sparkline. */
	series: number[];
}

export interface LatencySnapshot {
	windowSeconds: number;
	overall: LatencyStats;
	servers: Record<string, ServerLatency>;
	sessions: Record<string, LatencyStats>;
}

/** The recorder's current numbers, e.g. `() => recorder.snapshot()`. */
export type LatencySource = () => LatencySnapshot;

export interface ServerRow {
	readonly name: string;
	readonly state: ServerState;
	readonly command: string;
	/** Sessions not yet closed. */
	readonly sessions: number;
	readonly starting: number;
	readonly crashes: number;
	readonly spawned: number;
	/** The most recent session of this server ended in a crash. */
	readonly lastCrashed: boolean;
}

export interface SessionRow {
	readonly id: string;
	readonly server: string;
	readonly pid: number | undefined;
	readonly state: SessionState;
	readonly clientName: string | undefined;
	readonly clientVersion: string | undefined;
	readonly tag: string | undefined;
	readonly startedAt: number;
	readonly lastActivity: number;
	/** Set once the session is closed or crashed. */
	readonly endedAt: number | undefined;
	readonly closeReason: CloseReason | undefined;
	readonly exitCode: number | undefined;
	readonly signal: string | undefined;
	readonly requests: number;
	readonly errors: number;
	readonly inFlight: number;
}

export interface TailLine {
	/** Position in the session's whole stream, so a paused view can anchor on it. */
	readonly seq: number;
	readonly time: number;
	readonly line: string;
}

export interface TailView {
	/** Oldest first, bounded by the store's tail limit. */
	readonly lines: readonly TailLine[];
	/** Lines ever received: `total - lines.length` fell out of the buffer. */
	readonly total: number;
}

export interface DashboardSnapshot {
	/** Time the snapshot was built: what ages are measured against. */
	readonly now: number;
	readonly servers: readonly ServerRow[];
	/** Open sessions oldest first, then recently closed ones newest first. */
	readonly sessions: readonly SessionRow[];
	readonly liveSessions: number;
	readonly tails: ReadonlyMap<string, TailView>;
	/** mcpd's own log lines (`log` events). */
	readonly log: TailView;
	readonly latency: LatencySnapshot;
}

export interface DashboardStore {
	subscribe(listener: () => void): () => void;
	/** The same object until something visible changed. */
	getSnapshot(): DashboardSnapshot;
	/** Stops timers and event listeners; the last snapshot stays readable. */
	dispose(): void;
}
