import type {ServerResponse} from 'node:http';
import {errorResponse} from '../core/jsonrpc.js';

/**
 Every refusal carries a JSON-RPC error body, so a client library surfaces a
 message instead of an empty HTTP failure. No `id`: the request may not have one.
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

/**
GET and DELETE exist only for legacy sessions; without one (and for PUT/PATCH) the method is not allowed.
*/
export function methodNotAllowed(response: ServerResponse): void {
	sendError(response, 405, -32_600, 'Method Not Allowed: POST for requests; GET and DELETE only with an Mcp-Session-Id (protocol 2025-11-25 and earlier)', {headers: {allow: 'GET, POST, DELETE'}});
}
