import type {IncomingHttpHeaders} from 'node:http';

/** Revisions a client may speak to mcpd (the child negotiates within these). */
export const SUPPORTED_PROTOCOL_VERSIONS = new Set(['2025-11-25', '2025-06-18', '2025-03-26', '2024-11-05']);

/** Batches exist only in this revision; later ones forbid them. */
export const BATCH_PROTOCOL_VERSION = '2025-03-26';

export function header(headers: IncomingHttpHeaders, name: string): string | undefined {
	const value = headers[name];
	return Array.isArray(value) ? value[0] : value;
}

/** Streamable HTTP: a POST must accept both JSON and SSE, since mcpd picks per answer. */
export function acceptsPostAnswers(accept: string | undefined): boolean {
	if (accept === undefined) return false;
	const value = accept.toLowerCase();
	if (value.includes('*/*')) return true;
	return (value.includes('application/json') || value.includes('application/*')) && value.includes('text/event-stream');
}

export function acceptsEventStream(accept: string | undefined): boolean {
	if (accept === undefined) return false;
	const value = accept.toLowerCase();
	return value.includes('text/event-stream') || value.includes('*/*') || value.includes('text/*');
}

/** What a client message must look like to be relayed: a request, notification or response. */
export function isValidMessage(value: unknown): boolean {
	if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
	const message = value as Record<string, unknown>;
	if (message.jsonrpc !== '2.0') return false;
	const {id} = message;
	const idOk = id === undefined || typeof id === 'string' || (typeof id === 'number' && Number.isFinite(id));
	if (!idOk) return false;
	if (typeof message.method === 'string') return true;
	return id !== undefined && (message.result !== undefined || message.error !== undefined);
}
