/**
 Configs that do not come from a file: the embedded demo and the one-server
 `mcpd -- CMD ARGS` (a single stdio command, no config file). Built through the schema, so they share its defaults.
 */
import {toConfig, toMs, toServer} from './convert.js';
import {ConfigSchema, DEFAULTS, ServerSchema, serverNamePattern} from './schema.js';
import type {Config, ServerConfig} from './types.js';

/**
Every default, with the given servers; `source` labels it, e.g. `<embedded demo>`.
*/
export function defaultConfig(servers: readonly ServerConfig[], source: string): Config {
	return {...toConfig(ConfigSchema.parse({}), source), servers: [...servers]};
}

/**
A server with every default; throws TypeError on a name that cannot be used in a URL or an empty command.
*/
export function serverDefaults(name: string, command: string, args: readonly string[] = []): ServerConfig {
	if (!serverNamePattern.test(name)) {
		throw new TypeError(`Invalid server name ${JSON.stringify(name)}: use letters, digits, _ . - and start with a letter or digit`);
	}

	if (command === '') {
		throw new TypeError(`Server ${name} needs a command`);
	}

	return toServer(name, ServerSchema.parse({command, args: [...args]}), toMs(DEFAULTS.sessions.idle_timeout));
}
