/**
 The supervisor's typed events: the only way the HTTP layer, the store and the
 headless log learn what happens to servers, sessions and requests.
 */

export type SessionState = 'starting' | 'live' | 'closing' | 'closed' | 'crashed';

/**
 Why a session ended. `exit` is a child that left on its own with status 0;
 `start-timeout` one stopped for not answering `initialize` within `start_timeout`.
 */
export type CloseReason = 'delete' | 'idle' | 'max-age' | 'killed' | 'restart' | 'shutdown' | 'exit' | 'crash' | 'spawn-failed' | 'init-failed' | 'start-timeout';

export type RequestOutcome = 'ok' | 'error' | 'timeout' | 'cancelled' | 'crashed';

/**
`quarantined`: too many failed starts; new children are refused until `retryAt`.
*/
/**
`removed`: gone from the config on a reload, its live sessions draining.
*/
export type ServerState = 'ready' | 'disabled' | 'quarantined' | 'removed';

/**
`legacy`: a 2025-era session with its own child; `modern`: a child shared by 2026-07-28 requests of one identity.
*/
export type Era = 'legacy' | 'modern';

export type SessionInfo = {
	id: string;
	server: string;
	era: Era;
	/**
	Modern children: a short hash of the identity's header values, never the values.
	*/
	identity: string | undefined;
	pid: number | undefined;
	state: SessionState;
	/**
	`clientInfo.name` / `.version` from `initialize`; for a modern child, the client names seen in `_meta`.
	*/
	clientName: string | undefined;
	clientVersion: string | undefined;
	protocolVersion: string | undefined;
	/**
	Free label set by whoever opened the session, e.g. `prompt` for the dashboard's own.
	*/
	tag: string | undefined;
	/**
	Epoch ms.
	*/
	startedAt: number;
	lastActivity: number;
	requests: number;
	errors: number;
	inFlight: number;
};

export type ServerInfo = {
	name: string;
	state: ServerState;
	command: string;
	args: string[];
	sessions: number;
	/**
	Sessions of this server that ended by a crash since mcpd started.
	*/
	crashes: number;
	/**
	Failed starts within the server's `crash_window`.
	*/
	failures: number;
	/**
	While quarantined: when new children are allowed again (epoch ms).
	*/
	retryAt: number | undefined;
	/**
	The most recent failed start: when, how it ended, its last stderr lines.
	*/
	lastFailure: StartFailure | undefined;
	spawned: number;
	/**
	Children spawned ahead and waiting for a new legacy session (`prewarm`).
	*/
	prewarmed: number;
	/**
	Input requests of modern children refused because they could not be tied to one call.
	*/
	unattributed: number;
};

/**
A child that could not be spawned, exited or timed out before `initialize`, or crashed soon after starting.
*/
export type StartFailure = {
	/**
	Epoch ms.
	*/
	at: number;
	/**
	`exited (exit code 1)`, `did not answer initialize within start_timeout (30 s)`...
	*/
	reason: string;
	stderr: string[];
};

export type CoreEvents = {
	'server-state': [{server: string; state: ServerState; retryAt?: number}];
	/**
	The number of pre-warmed children waiting for a session changed.
	*/
	'server-prewarm': [{server: string; prewarmed: number}];
	'session-opened': [SessionInfo];
	/**
	Also carries what `initialize` told about the client, known once the session is live.
	*/
	'session-state': [{
		id: string; server: string; state: SessionState; pid: number | undefined;
		clientName: string | undefined; clientVersion: string | undefined; protocolVersion: string | undefined;
	}];
	'session-closed': [{id: string; server: string; reason: CloseReason; state: SessionState; exitCode: number | undefined; signal: string | undefined; stderrTail: string[]}];
	'request-started': [{sessionId: string; server: string; id: string | number; method: string}];
	'request-finished': [{sessionId: string; server: string; id: string | number; method: string; durationMs: number; outcome: RequestOutcome}];
	/**
	One line of a child's stderr, without the newline.
	*/
	stderr: [{sessionId: string; server: string; line: string; time: number}];
	/**
	A child stdout line that was not JSON-RPC; skipped, never fatal.
	*/
	'stdout-noise': [{sessionId: string; server: string; line: string}];
	/**
	A child->client message that no open stream could take.
	*/
	undeliverable: [{sessionId: string; server: string; method: string | undefined; reason: string}];
	/**
	A child asked for client input (elicitation, sampling, roots) that mcpd could not tie to one request; it was refused.
	*/
	unattributed: [{sessionId: string; server: string; method: string; inFlight: number}];
	/**
	A new configuration was applied; names what changed and what needs a restart.
	*/
	'config-reloaded': [{source: string; added: string[]; removed: string[]; changed: string[]; needRestart: string[]}];
	/**
	Mcpd's own log lines (spawns, kills, refusals). Never carries secrets.
	*/
	log: [{level: 'debug' | 'info' | 'warn' | 'error'; message: string; fields?: Record<string, unknown>}];
};
