import {maxHeaderSize, type ServerResponse} from 'node:http';
import type {Socket} from 'node:net';
import type {FastifyError, FastifyReply, FastifyRequest} from 'fastify';
import {ErrorCode, errorResponse} from '../core/jsonrpc.js';

/**
 * Refusals made before any route runs, in the same JSON-RPC error form as
 * every other answer of mcpd, so a client library shows their reason instead
 * of failing to parse fastify's or Node's own bodies.
 */

/** What Node's HTTP parser rejects (oversized headers, malformed requests, timeouts), answered on the raw socket. */
export function onClientError(error: Error & {code?: string}, socket: Socket): void {
	// The peer is gone already: nothing to tell it.
	if (error.code === 'ECONNRESET' || socket.destroyed) return;
	// A response already under way on this socket cannot be followed by another one.
	const current = (socket as Socket & {_httpMessage?: ServerResponse})._httpMessage;
	if (socket.writable && !current?.headersSent) {
		const [status, reason, message] = describe(error.code);
		const body = errorResponse(undefined, ErrorCode.invalidRequest, `${reason}: ${message}`);
		socket.write(`HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
	}

	socket.destroy();
}

function describe(code: string | undefined): [number, string, string] {
	switch (code) {
		case 'HPE_HEADER_OVERFLOW': {
			return [431, 'Request Header Fields Too Large', `the request line and headers exceed ${maxHeaderSize} bytes`];
		}

		case 'ERR_HTTP_REQUEST_TIMEOUT': {
			return [408, 'Request Timeout', 'the request did not arrive in time'];
		}

		default: {
			return [400, 'Bad Request', `malformed HTTP request (${code ?? 'unknown error'})`];
		}
	}
}

/**
 * What fastify's router refuses before routing: a path that is not valid
 * percent-encoding, and a path parameter (the server name) longer than
 * `maxParamLength`.
 */
export function routerRefusals(maxParamLength: number) {
	return (error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void => {
		const [status, message] = error.code === 'FST_ERR_BAD_URL'
			? [400, 'Bad Request: the URL path is not valid percent-encoding']
			: error.code === 'FST_ERR_MAX_PARAM_LENGTH'
				? [414, `URI Too Long: a server name in the path has at most ${maxParamLength} characters`]
				: [500, 'Internal error in mcpd'];
		void reply.code(status).type('application/json').send(errorResponse(undefined, status < 500 ? ErrorCode.invalidRequest : ErrorCode.internalError, message));
	};
}
