/**
 What `mcpd ask` talks to and with which agent settings: the config is found
 exactly as mcpd finds it (--config, ./mcpd.toml, XDG), so `mcpd` and
 `mcpd ask` run from the same place agree on port, token and agent.
 */
import {applyOverrides, ConfigError, defaultConfig, findConfigFile, loadConfig} from '../config/load.js';
import type {AgentConfig, Config} from '../config/types.js';
import {connectableBase} from '../agent/endpoint.js';

export type AskFlags = {
	server?: string;
	url?: string;
	timeout?: string;
	config?: string;
	token?: string;
	start: boolean;
};

export type AskSettings = {
	/**
	The config file read, if any.
	*/
	config: Config | undefined;
	/**
	Mcpd's base URL; undefined with --start until it listens.
	*/
	base: string | undefined;
	/**
	The agent's endpoint when --url named one (`…/mcp`): no discovery then.
	*/
	endpoint: URL | undefined;
	token: string | undefined;
	agent: AgentConfig;
	/**
	Warnings for stderr (e.g. an unreadable config ignored because --url says where to go).
	*/
	notes: string[];
};

/**
Bad flags or config; `mcpd ask` exits 2 with the message.
*/
export class AskUsageError extends Error {
	override name = 'AskUsageError';
}

const DEFAULT_AGENT: AgentConfig = {
	server: '', tool: 'run_agent', timeout: 120, maxTotalMs: 3_600_000,
};

export function askSettings(flags: AskFlags, env: NodeJS.ProcessEnv, cwd: string): AskSettings {
	if (flags.start && flags.url !== undefined) {
		throw new AskUsageError('--start and --url cannot be combined: --start runs its own mcpd');
	}

	const notes: string[] = [];
	let config: Config | undefined;
	try {
		const file = findConfigFile({explicit: flags.config, cwd, env});
		if (file !== undefined) {
			config = loadConfig({file, cwd, env});
		}
	} catch (error) {
		if (!(error instanceof ConfigError)) {
			throw error;
		}

		// An explicit file, or one that says where mcpd listens, must be right; with --url it only adds agent settings.
		if (flags.config !== undefined || flags.url === undefined) {
			throw new AskUsageError(error.message);
		}

		notes.push(`ignoring the config file: ${error.message}`);
	}

	let timeout: number | undefined;
	if (flags.timeout !== undefined) {
		timeout = Number(flags.timeout);
		if (!Number.isInteger(timeout) || timeout <= 0) {
			throw new AskUsageError(`--timeout must be a positive whole number of seconds (got ${JSON.stringify(flags.timeout)})`);
		}
	}

	const agent: AgentConfig = {
		...(config?.agent ?? DEFAULT_AGENT),
		...(flags.server !== undefined && {server: flags.server}),
		...(timeout !== undefined && {timeout}),
	};
	// eslint-disable-next-line @typescript-eslint/prefer-nullish-coalescing -- an empty variable counts as unset, so `||` rather than `??`
	const token = flags.token ?? config?.http.token ?? (env.MCPD_TOKEN || undefined);
	if (flags.start) {
		return {
			config, base: undefined, endpoint: undefined, token, agent, notes,
		};
	}

	if (flags.url !== undefined) {
		let url: URL;
		try {
			url = new URL(flags.url);
		} catch {
			throw new AskUsageError(`--url must be an http(s) URL like http://127.0.0.1:3000 (got ${JSON.stringify(flags.url)})`);
		}

		if (url.protocol !== 'http:' && url.protocol !== 'https:') {
			throw new AskUsageError(`--url must be http or https (got ${url.protocol})`);
		}

		const endpoint = /\/mcp\/?$/.test(url.pathname) ? url : undefined;
		return {
			config, base: url.origin, endpoint, token, agent, notes,
		};
	}

	// Mcpd itself lets MCP_BIND_HOST / MCP_PORT override the file; so must we, to find it.
	let http: Config['http'];
	try {
		// eslint-disable-next-line @typescript-eslint/prefer-nullish-coalescing -- an empty variable counts as unset, so `||` rather than `??`
		http = applyOverrides(config ?? defaultConfig([], '<defaults>'), {host: env.MCP_BIND_HOST || undefined, port: env.MCP_PORT || undefined}, 'environment').http;
	} catch (error) {
		if (!(error instanceof ConfigError)) {
			throw error;
		}

		throw new AskUsageError(error.message);
	}

	if (http.port === 0) {
		throw new AskUsageError('the config has port = 0 (a random port): pass --url with the port mcpd printed');
	}

	return {
		config, base: connectableBase(http.host, http.port), endpoint: undefined, token, agent, notes,
	};
}
