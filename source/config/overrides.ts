/**
 Settings given outside the file (CLI flags, environment variables) win over
 it. They are validated with the file's own rules and messages.
 */
import type {z} from 'zod';
import {ConfigError, type ConfigProblem} from './errors.js';
import {toMs} from './convert.js';
import {HttpSchema, LogSchema, SessionsSchema} from './schema.js';
import type {Config} from './types.js';

export type Overrides = {
	host?: string;
	/**
	A number, or a string as read from the environment (`MCP_PORT`).
	*/
	port?: number | string;
	logLevel?: string;
	logFormat?: string;
	logFile?: string;
	idleTimeoutSeconds?: number | string;
	instanceId?: string;
	/**
	`--web`: only ever turns the page on; the file's `false` is the default anyway.
	*/
	web?: true;
};

/**
 A new Config with the defined overrides applied; the input is not changed.
 `origin` names where they came from in errors, e.g. `--port` or `MCP_PORT`.

 `idleTimeoutSeconds` also moves servers that inherit the global idle
 timeout, recognised by still having the old global value (a server that set
 exactly that value itself moves along too).
 */
export function applyOverrides(config: Config, overrides: Overrides, origin = 'command line'): Config {
	const problems: ConfigProblem[] = [];
	const check = <T>(key: string, schema: z.ZodType<T>, value: unknown, given: unknown = value): T | undefined => {
		const result = schema.safeParse(value);
		if (result.success) {
			return result.data;
		}

		problems.push({line: undefined, key, reason: `${result.error.issues[0]?.message ?? 'is invalid'} (got ${JSON.stringify(given)})`});
		return undefined;
	};

	const host = overrides.host === undefined ? undefined : check('host', HttpSchema.shape.host, overrides.host);
	const port = overrides.port === undefined ? undefined : check('port', HttpSchema.shape.port, toNumber(overrides.port), overrides.port);
	const instance = overrides.instanceId === undefined ? undefined : check('instance id', HttpSchema.shape.instance_id, overrides.instanceId);
	const level = overrides.logLevel === undefined ? undefined : check('log level', LogSchema.shape.level, overrides.logLevel);
	const format = overrides.logFormat === undefined ? undefined : check('log format', LogSchema.shape.format, overrides.logFormat);
	const file = overrides.logFile === undefined ? undefined : check('log file', LogSchema.shape.file, overrides.logFile);
	// eslint-disable-next-line unicorn/no-declarations-before-early-exit -- check() records its problems, which the exit below reports
	const idle =
		overrides.idleTimeoutSeconds === undefined
			? undefined
			: check('idle timeout', SessionsSchema.shape.idle_timeout, toNumber(overrides.idleTimeoutSeconds), overrides.idleTimeoutSeconds);
	if (problems.length > 0) {
		throw new ConfigError(origin, problems);
	}

	const oldIdleMs = config.sessions.idleTimeoutMs;
	const idleMs = idle === undefined ? oldIdleMs : toMs(idle);
	return {
		...config,
		http: {
			...config.http, host: host ?? config.http.host, port: port ?? config.http.port, instanceId: instance ?? config.http.instanceId,
		},
		log: {
			...config.log, level: level ?? config.log.level, format: format ?? config.log.format, ...(file !== undefined && {file}),
		},
		sessions: {...config.sessions, idleTimeoutMs: idleMs},
		web: overrides.web ? {...config.web, enabled: true} : config.web,
		servers: config.servers.map(server => (idle !== undefined && server.idleTimeoutMs === oldIdleMs ? {...server, idleTimeoutMs: idleMs} : server)),
	};
}

/**
Environment strings are decimal numbers; `Number()` would also take '', '0x10' and '1e3'.
*/
function toNumber(value: number | string): number {
	if (typeof value === 'number') {
		return value;
	}

	return /^\s*\d+(\.\d+)?\s*$/.test(value) ? Number(value) : NaN;
}
