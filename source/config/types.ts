/**
 The resolved configuration: what the rest of mcpd reads. The TOML file uses
 snake_case keys and seconds; this shape uses camelCase and milliseconds, so
 no caller converts units again.
 */

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFormat = 'text' | 'json';

export type HttpConfig = {
	/**
	Interface to bind; loopback unless the user says otherwise.
	*/
	host: string;
	port: number;
	/**
	Bearer token required on every MCP route when set. Never logged.
	*/
	token?: string;
	/**
	Origins allowed besides the loopback names (exact `scheme://host[:port]`).
	*/
	allowedOrigins: string[];
	/**
	Largest accepted request body, in bytes.
	*/
	maxBody: number;
	/**
	Time a client has to send a request's headers; 0 disables.
	*/
	headersTimeoutMs: number;
	/**
	Time a client has to send a whole request, headers and body (not the answer); 0 disables.
	*/
	requestTimeoutMs: number;
	/**
	Open client connections at most; 0 disables. Beyond it new connections are closed at once.
	*/
	maxConnections: number;
	/**
	Starts every session id (and names this instance in `requestState`), so a load balancer can route by it; empty: none.
	*/
	instanceId: string;
};

export type SessionsConfig = {
	/**
	A session with no request in flight and no open stream for this long is reaped.
	*/
	idleTimeoutMs: number;
	/**
	Absolute lifetime of a session; 0 disables.
	*/
	maxAgeMs: number;
	/**
	Cap on live sessions across all servers; 0 disables.
	*/
	maxTotal: number;
	/**
	Time between SIGTERM and SIGKILL when a child is stopped.
	*/
	killGraceMs: number;
	/**
	Bytes a client's notification stream (GET, listen) may leave unread before mcpd closes it.
	*/
	maxBuffered: number;
	/**
	How long a request's answer stream may stay full (its child held) before mcpd closes it.
	*/
	stallTimeoutMs: number;
};

export type ServerConfig = {
	name: string;
	command: string;
	args: string[];
	/**
	The args as the file wrote them, when a `${env:...}` in them was expanded:
	what `/status` shows, since the expanded value may be a key.
	*/
	argsAsWritten?: string[];
	cwd?: string;
	/**
	Variables granted to the child (after `${env:VAR}` expansion).
	*/
	env: Record<string, string>;
	/**
	Pass mcpd's whole environment to the child instead of the short baseline.
	*/
	inheritEnv: boolean;
	enabled: boolean;
	/**
	Per-request timeout; each progress notification of the request resets it.
	*/
	requestTimeoutMs: number;
	/**
	Hard cap on a request's life however much progress it reports.
	*/
	requestTimeoutMaxMs: number;
	/**
	Overrides `sessions.idleTimeoutMs` for this server.
	*/
	idleTimeoutMs: number;
	/**
	Cap on live sessions of this server; 0 disables.
	*/
	maxSessions: number;
	/**
	Request header (lower-cased) -> env var set in that session's child only.
	*/
	headerEnv: Record<string, string>;
	/**
	Children one modern identity may spread its requests over.
	*/
	modernChildren: number;
	/**
	Children kept spawned ahead (not initialized) for new legacy sessions; 0: none.
	*/
	prewarm: number;
	/**
	How long a child's request for client input waits for the client's retry (MRTR).
	*/
	inputTimeoutMs: number;
	/**
	Freshness promised for list results of a child that announces list changes.
	*/
	listTtlMs: number;
	/**
	A child that has not answered `initialize` by then is stopped and counts as a failed start.
	*/
	startTimeoutMs: number;
	/**
	Cap of the back-off between failed starts, and of a quarantine.
	*/
	backoffMaxMs: number;
	/**
	Failed starts within `crashWindowMs` that quarantine the server; 0 never quarantines.
	*/
	crashLimit: number;
	crashWindowMs: number;
};

export type AgentConfig = {
	/**
	Server whose `tool` the prompt pane calls; empty: the one server offering it.
	*/
	server: string;
	tool: string;
	/**
	Seconds passed as the tool's own `timeout` argument.
	*/
	timeout: number;
	/**
	Client-side hard cap on one prompt run, in ms.
	*/
	maxTotalMs: number;
};

export type WebConfig = {
	/**
	Serve the chat page at `/chat/`, a browser client of the agent server.
	*/
	enabled: boolean;
};

export type LogConfig = {
	level: LogLevel;
	format: LogFormat;
	/**
	Append mcpd's own log here as well (what LOG_FILE did for the earlier Python proxy).
	*/
	file?: string;
};

export type Config = {
	/**
	Where the config came from: a path, or a label such as `<embedded demo>`.
	*/
	source: string;
	http: HttpConfig;
	sessions: SessionsConfig;
	log: LogConfig;
	agent: AgentConfig;
	web: WebConfig;
	/**
	In file order.
	*/
	servers: ServerConfig[];
};
