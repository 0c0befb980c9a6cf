/**
 Reading a config: find the file, parse the TOML, expand `${env:...}`,
 validate, and resolve to `Config`. All problems of a file are reported at
 once, each as `file:line: key reason`.
 */
import {readFileSync, statSync} from 'node:fs';
import {homedir} from 'node:os';
import path from 'node:path';
import {parse, TomlError} from 'smol-toml';
import {crossCheck, protoKeys} from './checks.js';
import {toConfig} from './convert.js';
import {ConfigError, type ConfigProblem, formatKey} from './errors.js';
import {type EnvVars, expandEnv} from './expand.js';
import {issueProblems} from './issues.js';
import {createLocator} from './locate.js';
import {ConfigSchema} from './schema.js';
import type {Config} from './types.js';

export {ConfigError} from './errors.js';
export {defaultConfig, serverDefaults} from './defaults.js';
export {applyOverrides, type Overrides} from './overrides.js';

export type ParseOptions = {
	/**
	Directory that relative `cwd` and `log.file` are resolved against (the config file's). Unset: left as written.
	*/
	baseDir?: string;
	/**
	`Config.source`; defaults to `file`.
	*/
	source?: string;
};

/**
`file` only labels errors and needn't exist. `env` feeds `${env:...}`.
*/
export function parseConfig(text: string, file: string, env: EnvVars, options: ParseOptions = {}): Config {
	const input = parseToml(text, file);
	const locate = createLocator(text);
	const fail = (problems: ReadonlyArray<{path: string[]; reason: string}>): never => {
		const located = problems.map(({path: key, reason}) => ({line: locate(key), key: formatKey(key), reason}));
		throw new ConfigError(file, located.toSorted((a, b) => a.line - b.line));
	};

	// Expanded before validation, so a value that expands to "" (a token variable set but empty) is caught.
	const expanded = expandEnv(input, env, {skip: isHeaderEnv});
	const result = ConfigSchema.safeParse(expanded.value);
	const early = [...protoKeys(input), ...expanded.problems];
	if (!result.success) {
		return fail([...early, ...issueProblems(result.error.issues)]);
	}

	if (early.length > 0) {
		return fail(early);
	}

	const raw = result.data;

	const crossProblems = crossCheck(raw, input);
	if (crossProblems.length > 0) {
		return fail(crossProblems);
	}

	const order = Object.keys(raw.server).toSorted((a, b) => locate(['server', a]) - locate(['server', b]));
	const config = withArgsAsWritten(toConfig(raw, options.source ?? file, order), input);
	return options.baseDir === undefined ? config : resolvePaths(config, options.baseDir);
}

/**
Keeps each server's args as written where expansion changed them (see `ServerConfig.argsAsWritten`).
*/
function withArgsAsWritten(config: Config, input: unknown): Config {
	const written = (name: string): unknown => (input as {server?: Record<string, {args?: unknown}>}).server?.[name]?.args;
	return {
		...config,
		servers: config.servers.map(server => {
			const args = written(server.name);
			const changed = Array.isArray(args) && args.some((arg, index) => arg !== server.args[index]);
			return changed ? {...server, argsAsWritten: args.map(String)} : server;
		}),
	};
}

export type FindOptions = {
	/**
	`--config`; must exist when given. Relative to `cwd`.
	*/
	explicit?: string;
	cwd: string;
	env: EnvVars;
};

/**
`--config`, then `./mcpd.toml`, then `$XDG_CONFIG_HOME/mcpd/config.toml`; undefined when none exists.
*/
export function findConfigFile({explicit, cwd, env}: FindOptions): string | undefined {
	if (explicit !== undefined) {
		const file = path.resolve(cwd, explicit);
		if (!exists(file)) {
			throw new ConfigError(explicit, [{line: undefined, key: undefined, reason: 'file not found'}]);
		}

		return file;
	}

	const candidates = [path.join(cwd, 'mcpd.toml'), path.join(configHome(env), 'mcpd', 'config.toml')];
	return candidates.find(file => exists(file));
}

export type LoadOptions = {
	/**
	Usually what `findConfigFile` returned. Relative to `cwd`.
	*/
	file: string;
	cwd: string;
	env: EnvVars;
	/**
	How errors name the file; defaults to the path relative to `cwd` when inside it, else the absolute path.
	*/
	display?: string;
};

export function loadConfig({file, cwd, env, display}: LoadOptions): Config {
	const absolute = path.resolve(cwd, file);
	const name = display ?? displayName(absolute, cwd);
	return parseConfig(readText(absolute, name), name, env, {baseDir: path.dirname(absolute), source: absolute});
}

function parseToml(text: string, file: string): unknown {
	try {
		// A BOM is legal in UTF-8 files but not in TOML.
		return parse(text.startsWith('\u{FEFF}') ? text.slice(1) : text);
	} catch (error) {
		if (!(error instanceof TomlError)) {
			throw error;
		}

		const reason = error.message.split('\n', 1)[0].replace(/^Invalid TOML document: /, '');
		throw new ConfigError(file, [{line: error.line, key: undefined, reason: `invalid TOML: ${reason}`}]);
	}
}

const isHeaderEnv = (key: readonly string[]) => key.length === 3 && key[0] === 'server' && key[2] === 'header_env';

function resolvePaths(config: Config, baseDir: string): Config {
	return {
		...config,
		log: config.log.file === undefined ? config.log : {...config.log, file: path.resolve(baseDir, config.log.file)},
		servers: config.servers.map(server => (server.cwd === undefined ? server : {...server, cwd: path.resolve(baseDir, server.cwd)})),
	};
}

/**
XDG says a relative `XDG_CONFIG_HOME` is invalid and must be ignored.
*/
function configHome(env: EnvVars): string {
	const xdg = env.XDG_CONFIG_HOME;
	// eslint-disable-next-line @typescript-eslint/prefer-nullish-coalescing -- an empty HOME counts as unset
	return xdg && path.isAbsolute(xdg) ? xdg : path.join(env.HOME || homedir(), '.config');
}

/**
Anything but "no such file" counts as existing, so an unreadable file is reported rather than skipped.
*/
function exists(file: string): boolean {
	try {
		statSync(file);
		return true;
	} catch (error) {
		const {code} = (error as NodeJS.ErrnoException);
		return code !== 'ENOENT' && code !== 'ENOTDIR';
	}
}

/**
Why a config file could not be read, in words for the user rather than an errno.
*/
const READ_FAILURES = new Map([
	['ENOENT', 'file not found'],
	['EISDIR', 'is a directory, not a file'],
	['EACCES', 'permission denied'],
	['EPERM', 'permission denied'],
]);

function readText(file: string, name: string): string {
	try {
		return readFileSync(file, 'utf8');
	} catch (error) {
		const {code, message} = error as NodeJS.ErrnoException;
		throw new ConfigError(name, [{line: undefined, key: undefined, reason: READ_FAILURES.get(code ?? '') ?? `cannot be read (${message})`}] satisfies ConfigProblem[]);
	}
}

function displayName(absolute: string, cwd: string): string {
	const relative = path.relative(cwd, absolute);
	const outside = relative === '' || relative.split(path.sep)[0] === '..' || path.isAbsolute(relative);
	return outside ? absolute : relative;
}
