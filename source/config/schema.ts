/**
 The TOML file as written: snake_case keys, durations in (possibly
 fractional) seconds. Every table is strict, since a misspelt key silently
 ignored is a setting the user believes in but does not have. Each field
 carries its own human message, so errors read `server.fs.args must be an
 array of strings`, not zod's generic text.
 */
import {z} from 'zod';

/**
The defaults, as they appear in the file; `config.example.toml` is tested against them.
*/
export const DEFAULTS = deepFreeze({
	http: {
		host: '127.0.0.1',
		port: 3000,
		allowed_origins: [] as string[],
		max_body: 64 * 1024 * 1024,
		headers_timeout: 30,
		request_timeout: 300,
		max_connections: 1024,
		instance_id: '',
	},
	sessions: {
		idle_timeout: 300, max_age: 86_400, max_total: 100, kill_grace: 2, max_buffered: 4 * 1024 * 1024, stall_timeout: 30,
	},
	log: {level: 'info' as const, format: 'text' as const},
	agent: {
		server: '', tool: 'run_agent', timeout: 120, max_total: 3600,
	},
	web: {enabled: false},
	server: {
		args: [] as string[],
		env: {},
		inherit_env: false,
		enabled: true,
		request_timeout: 300,
		request_timeout_max: 3600,
		max_sessions: 0,
		header_env: {},
		modern_children: 1,
		prewarm: 0,
		input_timeout: 50,
		list_ttl: 60,
		start_timeout: 30,
		backoff_max: 60,
		crash_limit: 5,
		crash_window: 60,
	},
});

/**
Server names end up in URLs.
*/
export const serverNamePattern = /^[0-9a-z][\w\-.]*$/i;
/**
Portable environment variable names (POSIX); anything else is likely a typo.
*/
export const envNamePattern = /^[a-z_]\w*$/i;
/**
RFC 9110 `token`, the grammar of a header name.
*/
const headerNamePattern = /^[\w!#$%&'*+\-.^`|~]+$/;
/**
Never handed to a child: with auth on, it carries mcpd's own bearer token.
*/
const forbiddenHeaders = new Set(['authorization', 'proxy-authorization']);

/**
 Node's timers hold at most 2^31-1 ms (about 24.8 days); a longer delay fires
 at once, which would reap every session immediately.
 */
export const maxSeconds = Math.floor((2 ** 31 - 1) / 1000);

const clone = <T>(value: T): T => structuredClone<T>(value);

function seconds(minimum: 'zero' | 'positive') {
	const reason = minimum === 'zero' ? 'must be a number of seconds ≥ 0' : 'must be a number of seconds > 0';
	const base = z.number({error: reason}).max(maxSeconds, {error: `must be at most ${maxSeconds} seconds (about 24 days)`});
	return minimum === 'zero' ? base.min(0) : base.positive();
}

const count = () => z.int({error: 'must be an integer ≥ 0'}).min(0);

const text = () => z.string({error: 'must be a string'});

/**
A string that may not be empty; a missing one is reported as `is required`.
*/
const nonEmpty = () =>
	z.string({error: issue => (issue.input === undefined ? 'is required' : 'must be a non-empty string')}).min(1);

const stringArray = () => z.array(z.string({error: 'must be an array of strings'}), {error: 'must be an array of strings'});

/**
A strict table; unknown keys are reported by the caller, with a suggestion.
*/
function table<Shape extends z.core.$ZodLooseShape>(shape: Shape) {
	return z.strictObject(shape, {error: issue => (issue.code === 'invalid_type' ? 'must be a table' : undefined)});
}

function isOrigin(value: string): boolean {
	try {
		return new URL(value).origin === value;
	} catch {
		return false;
	}
}

export const HttpSchema = table({
	host: nonEmpty().default(DEFAULTS.http.host),
	port: z.int({error: 'must be an integer from 0 to 65535'}).min(0).max(65_535).default(DEFAULTS.http.port),
	token: nonEmpty().optional(),
	allowed_origins: z
		.array(
			z.string({error: 'must be an array of strings'}).refine(isOrigin, {
				error: issue => `must list origins like https://example.com:8443 (no path, no trailing slash), not ${JSON.stringify(issue.input)}`,
			}),
			{error: 'must be an array of strings'},
		)
		.default(() => clone(DEFAULTS.http.allowed_origins)),
	max_body: z.int({error: 'must be an integer number of bytes > 0'}).positive().default(DEFAULTS.http.max_body),
	headers_timeout: seconds('zero').default(DEFAULTS.http.headers_timeout),
	request_timeout: seconds('zero').default(DEFAULTS.http.request_timeout),
	max_connections: count().default(DEFAULTS.http.max_connections),
	instance_id: z.string({error: 'must be a string'}).regex(/^[\da-z]{0,16}$/, {error: 'must be up to 16 lower-case letters and digits (it starts every session id)'}).default(DEFAULTS.http.instance_id),
});

export const SessionsSchema = table({
	idle_timeout: seconds('positive').default(DEFAULTS.sessions.idle_timeout),
	max_age: seconds('zero').default(DEFAULTS.sessions.max_age),
	max_total: count().default(DEFAULTS.sessions.max_total),
	kill_grace: seconds('zero').default(DEFAULTS.sessions.kill_grace),
	max_buffered: z.int({error: 'must be an integer number of bytes > 0'}).positive().default(DEFAULTS.sessions.max_buffered),
	stall_timeout: seconds('positive').default(DEFAULTS.sessions.stall_timeout),
});

export const LogSchema = table({
	level: z.enum(['debug', 'info', 'warn', 'error'], {error: 'must be one of debug, info, warn, error'}).default(DEFAULTS.log.level),
	format: z.enum(['text', 'json'], {error: 'must be one of text, json'}).default(DEFAULTS.log.format),
	file: nonEmpty().optional(),
});

export const AgentSchema = table({
	server: text().default(DEFAULTS.agent.server),
	tool: nonEmpty().default(DEFAULTS.agent.tool),
	timeout: seconds('positive').default(DEFAULTS.agent.timeout),
	max_total: seconds('positive').default(DEFAULTS.agent.max_total),
});

export const WebSchema = table({
	enabled: z.boolean({error: 'must be true or false'}).default(DEFAULTS.web.enabled),
});

const envTable = z.record(
	z.string().regex(/^[^\0=]+$/, {error: 'is not a usable environment variable name (empty, or has = or NUL)'}),
	z.string({error: 'must be a string'}),
	{error: 'must be a table of strings'},
);

const headerEnvTable = z.record(
	z
		.string()
		.regex(headerNamePattern, {error: 'is not a valid HTTP header name'})
		.refine(name => !forbiddenHeaders.has(name.toLowerCase()), {
			error: 'may not be passed to a child (it carries the client credentials for mcpd itself)',
		}),
	z.string({error: 'must be an environment variable name'}).regex(envNamePattern, {
		error: 'must be an environment variable name (letters, digits and _, not starting with a digit)',
	}),
	{error: 'must be a table of header name = environment variable name'},
);

export const ServerSchema = table({
	command: nonEmpty(),
	args: stringArray().default(() => clone(DEFAULTS.server.args)),
	cwd: nonEmpty().optional(),
	env: envTable.default(() => clone(DEFAULTS.server.env)),
	inherit_env: z.boolean({error: 'must be true or false'}).default(DEFAULTS.server.inherit_env),
	enabled: z.boolean({error: 'must be true or false'}).default(DEFAULTS.server.enabled),
	request_timeout: seconds('positive').default(DEFAULTS.server.request_timeout),
	request_timeout_max: seconds('positive').default(DEFAULTS.server.request_timeout_max),
	/**
	No default here: unset means "as [sessions] idle_timeout", resolved on conversion.
	*/
	idle_timeout: seconds('positive').optional(),
	max_sessions: count().default(DEFAULTS.server.max_sessions),
	header_env: headerEnvTable.default(() => clone(DEFAULTS.server.header_env)),
	modern_children: z.int({error: 'must be an integer ≥ 1'}).min(1).default(DEFAULTS.server.modern_children),
	prewarm: count().default(DEFAULTS.server.prewarm),
	input_timeout: seconds('positive').default(DEFAULTS.server.input_timeout),
	list_ttl: seconds('zero').default(DEFAULTS.server.list_ttl),
	start_timeout: seconds('positive').default(DEFAULTS.server.start_timeout),
	backoff_max: seconds('positive').default(DEFAULTS.server.backoff_max),
	crash_limit: count().default(DEFAULTS.server.crash_limit),
	crash_window: seconds('positive').default(DEFAULTS.server.crash_window),
});

const serverName = z.string().regex(serverNamePattern, {
	error: 'is not a valid server name (letters, digits, _ . -, starting with a letter or digit; it becomes part of a URL)',
});

const sections = {
	http: HttpSchema, sessions: SessionsSchema, log: LogSchema, agent: AgentSchema, web: WebSchema,
} as const;

export const ConfigSchema = table({
	http: sections.http.prefault({}),
	sessions: sections.sessions.prefault({}),
	log: sections.log.prefault({}),
	agent: sections.agent.prefault({}),
	web: sections.web.prefault({}),
	server: z.record(serverName, ServerSchema, {error: 'must be a table of [server.NAME] tables'}).default(() => ({})),
});

export type RawConfig = z.output<typeof ConfigSchema>;
export type RawServer = z.output<typeof ServerSchema>;

/**
The keys a table accepts, for "did you mean"; empty for tables of free-form keys.
*/
export function knownKeys(path: readonly string[]): string[] {
	if (path.length === 0) {
		return Object.keys(ConfigSchema.shape);
	}

	if (path.length === 1 && Object.hasOwn(sections, path[0])) {
		return Object.keys(sections[path[0] as keyof typeof sections].shape);
	}

	return path.length === 2 && path[0] === 'server' ? Object.keys(ServerSchema.shape) : [];
}

function deepFreeze<T>(value: T): T {
	if (typeof value === 'object' && value !== null) {
		for (const inner of Object.values(value)) {
			deepFreeze(inner);
		}

		Object.freeze(value);
	}

	return value;
}
