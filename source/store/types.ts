import type {CloseReason, Era, ServerState, SessionState} from '../core/events.js';
import type {MetricsSnapshot, ServerStats, Stats} from '../core/metrics/index.js';

/**
The recorder's figures (milliseconds; percentiles null when the window is empty).
*/
export type LatencyStats = Stats;
export type ServerLatency = ServerStats;
/**
The store draws no overall sparkline, so plain stats will do there.
*/
export type LatencySnapshot = Omit<MetricsSnapshot, 'overall'> & {overall: Stats};

/**
The recorder's current numbers, e.g. `() => recorder.snapshot()`.
*/
export type LatencySource = () => LatencySnapshot;

export type ServerRow = {
	readonly name: string;
	readonly state: ServerState;
	readonly command: string;
	/**
	Sessions not yet closed.
	*/
	readonly sessions: number;
	readonly starting: number;
	readonly crashes: number;
	readonly spawned: number;
	/**
	The most recent session of this server ended in a crash.
	*/
	readonly lastCrashed: boolean;
	/**
	While quarantined: when new sessions are allowed again (epoch ms).
	*/
	readonly retryAt: number | undefined;
	/**
	Children spawned ahead and waiting for a new session (`prewarm`).
	*/
	readonly prewarmed: number;
};

export type SessionRow = {
	readonly id: string;
	readonly server: string;
	readonly pid: number | undefined;
	readonly state: SessionState;
	readonly clientName: string | undefined;
	readonly clientVersion: string | undefined;
	readonly tag: string | undefined;
	/**
	`modern`: a child shared by the 2026-07-28 requests of one identity.
	*/
	readonly era: Era;
	/**
	Modern children: the identity's short hash.
	*/
	readonly identity: string | undefined;
	readonly startedAt: number;
	readonly lastActivity: number;
	/**
	Set once the session is closed or crashed.
	*/
	readonly endedAt: number | undefined;
	readonly closeReason: CloseReason | undefined;
	readonly exitCode: number | undefined;
	readonly signal: string | undefined;
	readonly requests: number;
	readonly errors: number;
	readonly inFlight: number;
};

/**
What a child's whole process group costs, sampled from /proc about once a second.
*/
export type Usage = {
	/**
	% of one core over the last interval; undefined until a second sample.
	*/
	readonly cpu: number | undefined;
	/**
	Resident memory, bytes.
	*/
	readonly rss: number;
	/**
	Processes in the group (the child and its helpers).
	*/
	readonly processes: number;
};

export type TailLine = {
	/**
	Position in the session's whole stream, so a paused view can anchor on it.
	*/
	readonly seq: number;
	readonly time: number;
	readonly line: string;
};

export type TailView = {
	/**
	Oldest first, bounded by the store's tail limit.
	*/
	readonly lines: readonly TailLine[];
	/**
	Lines ever received: `total - lines.length` fell out of the buffer.
	*/
	readonly total: number;
};

export type DashboardSnapshot = {
	/**
	Time the snapshot was built: what ages are measured against.
	*/
	readonly now: number;
	readonly servers: readonly ServerRow[];
	/**
	Open sessions oldest first, then recently closed ones newest first.
	*/
	readonly sessions: readonly SessionRow[];
	readonly liveSessions: number;
	readonly tails: ReadonlyMap<string, TailView>;
	/**
	Mcpd's own log lines (`log` events).
	*/
	readonly log: TailView;
	readonly latency: LatencySnapshot;
	/**
	By session id: live children's CPU and memory; empty when not sampled (not Linux, or off).
	*/
	readonly usage: ReadonlyMap<string, Usage>;
	/**
	By server name: its live children summed.
	*/
	readonly serverUsage: ReadonlyMap<string, Usage>;
};

export type DashboardStore = {
	subscribe(listener: () => void): () => void;
	/**
	The same object until something visible changed.
	*/
	getSnapshot(): DashboardSnapshot;
	/**
	 Which session's stderr is on screen (undefined: none, e.g. mcpd's own log).
	 Once told, stderr of other sessions is kept without a redraw of its own.
	 */
	watchTail(sessionId: string | undefined): void;
	/**
	Stops timers and event listeners; the last snapshot stays readable.
	*/
	dispose(): void;
};
