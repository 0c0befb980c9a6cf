import {isUnreachable} from './errors.js';
import {isRecord} from './outcome.js';

/**
Mcpd could not tell its servers; `unreachable` when nothing answered at all.
*/
export class StatusError extends Error {
	override name = 'StatusError';
	constructor(message: string, readonly unreachable: boolean) {
		super(message);
	}
}

/**
 The enabled servers of a running mcpd, in config order, from `GET /status`:
 the running process's config is what counts, not the file it may have changed since.
 */
export async function listServers(base: string, headers: Record<string, string>): Promise<string[]> {
	let response: Response;
	try {
		response = await fetch(new URL('/status', base), {headers, signal: AbortSignal.timeout(10_000)});
	} catch (error) {
		if (isUnreachable(error)) {
			throw new StatusError(`cannot reach mcpd at ${base}`, true);
		}

		throw new StatusError(`cannot read ${base}/status: ${error instanceof Error ? error.message : String(error)}`, false);
	}

	const body = await response.json().catch(() => undefined) as unknown;
	if (response.status === 401) {
		throw new StatusError(`mcpd at ${base} wants a token: pass --token, or set MCPD_TOKEN`, false);
	}

	const servers = isRecord(body) && Array.isArray(body.servers) ? body.servers : undefined;
	if (!servers || !response.ok) {
		throw new StatusError(`${base}/status answered ${response.status}; is this mcpd?`, false);
	}

	return servers
		.filter((server): server is {name: string; state?: unknown} => isRecord(server) && typeof server.name === 'string')
		.filter(server => server.state !== 'disabled')
		.map(server => server.name);
}
