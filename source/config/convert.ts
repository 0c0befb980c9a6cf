/**
 From the file's shape (snake_case, seconds) to the resolved `Config`
 (camelCase, milliseconds), so no caller converts units again.
 */
import type {RawConfig, RawServer} from './schema.js';
import type {Config, ServerConfig} from './types.js';

/**
Seconds to whole milliseconds; fractional seconds such as 0.5 are allowed in the file.
*/
export const toMs = (seconds: number) => Math.round(seconds * 1000);

/**
`order` lists server names in file order (object keys are not: `[server.2]` would sort before `[server.b]`).
*/
export function toConfig(raw: RawConfig, source: string, order: readonly string[] = Object.keys(raw.server)): Config {
	const idleTimeoutMs = toMs(raw.sessions.idle_timeout);
	return {
		source,
		http: {
			host: raw.http.host,
			port: raw.http.port,
			...(raw.http.token !== undefined && {token: raw.http.token}),
			allowedOrigins: [...raw.http.allowed_origins],
			maxBody: raw.http.max_body,
			headersTimeoutMs: toMs(raw.http.headers_timeout),
			requestTimeoutMs: toMs(raw.http.request_timeout),
			maxConnections: raw.http.max_connections,
			instanceId: raw.http.instance_id,
		},
		sessions: {
			idleTimeoutMs,
			maxAgeMs: toMs(raw.sessions.max_age),
			maxTotal: raw.sessions.max_total,
			killGraceMs: toMs(raw.sessions.kill_grace),
			maxBuffered: raw.sessions.max_buffered,
			stallTimeoutMs: toMs(raw.sessions.stall_timeout),
		},
		log: {
			level: raw.log.level,
			format: raw.log.format,
			...(raw.log.file !== undefined && {file: raw.log.file}),
		},
		agent: {
			server: raw.agent.server,
			tool: raw.agent.tool,
			timeout: raw.agent.timeout,
			maxTotalMs: toMs(raw.agent.max_total),
		},
		web: {enabled: raw.web.enabled},
		servers: order.map(name => toServer(name, raw.server[name], idleTimeoutMs)),
	};
}

export function toServer(name: string, raw: RawServer, defaultIdleTimeoutMs: number): ServerConfig {
	return {
		name,
		command: raw.command,
		args: [...raw.args],
		...(raw.cwd !== undefined && {cwd: raw.cwd}),
		env: {...raw.env},
		inheritEnv: raw.inherit_env,
		enabled: raw.enabled,
		requestTimeoutMs: toMs(raw.request_timeout),
		requestTimeoutMaxMs: toMs(raw.request_timeout_max),
		idleTimeoutMs: raw.idle_timeout === undefined ? defaultIdleTimeoutMs : toMs(raw.idle_timeout),
		maxSessions: raw.max_sessions,
		modernChildren: raw.modern_children,
		prewarm: raw.prewarm,
		inputTimeoutMs: toMs(raw.input_timeout),
		listTtlMs: toMs(raw.list_ttl),
		startTimeoutMs: toMs(raw.start_timeout),
		backoffMaxMs: toMs(raw.backoff_max),
		crashLimit: raw.crash_limit,
		crashWindowMs: toMs(raw.crash_window),
		// Lower-cased once here, as Node presents incoming header names.
		headerEnv: Object.fromEntries(Object.entries(raw.header_env).map(([header, variable]) => [header.toLowerCase(), variable])),
	};
}
