import type {IncomingHttpHeaders} from 'node:http';

/**
Long enough for any API key or JWT, short enough that a header cannot bloat a child's env.
*/
const MAX_VALUE_LENGTH = 16 * 1024;

/**
 The env a session's child gets from its `initialize` request's headers,
 through the server's `header_env` allow-list (header names lower-cased).
 Values are never logged; a bad one is refused with a message naming only the header.
 */
export function headerEnv(headers: IncomingHttpHeaders, mapping: Record<string, string>): Record<string, string> | undefined {
	let env: Record<string, string> | undefined;
	for (const [name, variable] of Object.entries(mapping)) {
		const raw = headers[name];
		const value = Array.isArray(raw) ? raw[0] : raw;
		if (value === undefined || value === '') {
			continue;
		}

		if (value.length > MAX_VALUE_LENGTH || /[\0\n\r]/.test(value)) {
			throw new Error(`Bad Request: header ${name} is not a valid value for ${variable}`);
		}

		env ??= {};
		env[variable] = value;
	}

	return env;
}
