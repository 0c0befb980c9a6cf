import type {IncomingHttpHeaders} from 'node:http';
import type {JsonRpcId} from '../core/jsonrpc.js';

/**
Revisions a client may speak to mcpd (the child negotiates within these).
*/
export const SUPPORTED_PROTOCOL_VERSIONS = new Set(['2025-11-25', '2025-06-18', '2025-03-26', '2024-11-05']);

/**
Batches exist only in this revision; later ones forbid them.
*/
export const BATCH_PROTOCOL_VERSION = '2025-03-26';

export function header(headers: IncomingHttpHeaders, name: string): string | undefined {
	const value = headers[name];
	return Array.isArray(value) ? value[0] : value;
}

/**
Streamable HTTP: a POST must accept both JSON and SSE, since mcpd picks per answer.
*/
export function acceptsPostAnswers(accept: string | undefined): boolean {
	if (accept === undefined) {
		return false;
	}

	const value = accept.toLowerCase();
	return value.includes('*/*') ? true : (value.includes('application/json') || value.includes('application/*')) && value.includes('text/event-stream');
}

export function acceptsEventStream(accept: string | undefined): boolean {
	if (accept === undefined) {
		return false;
	}

	const value = accept.toLowerCase();
	return value.includes('text/event-stream') || value.includes('*/*') || value.includes('text/*');
}

/**
What a client message must look like to be relayed: a request, notification or response.
*/
export function isValidMessage(value: unknown): boolean {
	if (value === null || typeof value !== 'object' || Array.isArray(value)) {
		return false;
	}

	const message = value as Record<string, unknown>;
	if (message.jsonrpc !== '2.0') {
		return false;
	}

	const {id} = message;
	const idOk = id === undefined || typeof id === 'string' || (typeof id === 'number' && Number.isFinite(id));
	if (!idOk) {
		return false;
	}

	return typeof message.method === 'string' ? true : id !== undefined && (message.result !== undefined || message.error !== undefined);
}

/**
 Deepest nesting of arrays and objects mcpd accepts in a message it
 re-serialises (modern requests, legacy batches). JSON.stringify recurses,
 and a few thousand levels exhaust the stack: thrown inside a request that
 is a 500, inside a child's stdout handler a lost answer. No MCP message
 comes near this depth.
 */
export const MAX_NESTING = 1000;

/**
True when `value` nests arrays and objects more than `limit` levels deep; walks without recursion.
*/
export function nestedDeeperThan(value: unknown, limit: number): boolean {
	const pending: Array<[unknown, number]> = [[value, 1]];
	while (pending.length > 0) {
		const [item, depth] = pending.pop()!;
		if (item === null || typeof item !== 'object') {
			continue;
		}

		if (depth > limit) {
			return true;
		}

		for (const child of Array.isArray(item) ? item : Object.values(item)) {
			if (child !== null && typeof child === 'object') {
				pending.push([child, depth + 1]);
			}
		}
	}

	return false;
}

/**
An id a JSON-RPC answer may repeat: what `isValidMessage` accepts, so it serialises flat.
*/
export function answerableId(value: unknown): JsonRpcId | undefined {
	if (value === null || typeof value !== 'object' || Array.isArray(value)) {
		return undefined;
	}

	const {id} = value as {id?: unknown};
	return typeof id === 'string' || (typeof id === 'number' && Number.isFinite(id)) ? id : undefined;
}
