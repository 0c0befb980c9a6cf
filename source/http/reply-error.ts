import type {ServerResponse} from 'node:http';
import {errorResponse} from '../core/jsonrpc.js';

/**
 * Every refusal carries a JSON-RPC error body, so a client library surfaces a
 * message instead of an empty HTTP failure. No `id`: the request may not have one.
 */
export function sendError(response: ServerResponse, status: number, code: number, message: string, options: {headers?: Record<string, string>; data?: unknown} = {}): void {
	if (response.headersSent) {
		response.end();
		return;
	}

	const body = errorResponse(undefined, code, message, options.data);
	response.writeHead(status, {'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...options.headers});
	response.end(body);
}
