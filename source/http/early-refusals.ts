import type {ServerResponse} from 'node:http';
import type {Socket} from 'node:net';
import type {FastifyError, FastifyReply, FastifyRequest} from 'fastify';
import type {HttpConfig} from '../config/types.js';
import {ErrorCode, errorResponse} from '../core/jsonrpc.js';
import {http as nodeHttp} from '../lib/builtins.js';

const {maxHeaderSize} = nodeHttp;

/**
 Refusals made before any route runs, in the same JSON-RPC error form as
 every other answer of mcpd, so a client library shows their reason instead
 of failing to parse fastify's or Node's own bodies.
 */

/**
What Node's HTTP parser rejects (oversized headers, malformed requests, timeouts), answered on the raw socket.
*/
export function clientErrorHandler(http: Pick<HttpConfig, 'headersTimeoutMs' | 'requestTimeoutMs'>) {
	const late = lateness(http);
	return (error: Error & {code?: string}, socket: Socket): void => {
		// The peer is gone already: nothing to tell it.
		if (error.code === 'ECONNRESET' || socket.destroyed) {
			return;
		}

		// A response already under way on this socket cannot be followed by another one.
		const current = (socket as Socket & {_httpMessage?: ServerResponse})._httpMessage;
		if (socket.writable && !current?.headersSent) {
			const [status, reason, message] = describe(error.code, late);
			const body = errorResponse(undefined, ErrorCode.invalidRequest, `${reason}: ${message}`);
			socket.write(`HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
		}

		socket.destroy();
	};
}

/**
Node reports either timeout with one code, so the message names both limits.
*/
function lateness(http: Pick<HttpConfig, 'headersTimeoutMs' | 'requestTimeoutMs'>): string {
	const limits = [
		...(http.headersTimeoutMs > 0 ? [`its headers within http.headers_timeout (${http.headersTimeoutMs / 1000} s)`] : []),
		...(http.requestTimeoutMs > 0 ? [`all of it within http.request_timeout (${http.requestTimeoutMs / 1000} s)`] : []),
	];
	return `the request must arrive in time: ${limits.join(', ')}`;
}

function describe(code: string | undefined, late: string): [number, string, string] {
	switch (code) {
		case 'HPE_HEADER_OVERFLOW': {
			return [431, 'Request Header Fields Too Large', `the request line and headers exceed ${maxHeaderSize} bytes`];
		}

		case 'ERR_HTTP_REQUEST_TIMEOUT': {
			return [408, 'Request Timeout', late];
		}

		default: {
			return [400, 'Bad Request', `malformed HTTP request (${code ?? 'unknown error'})`];
		}
	}
}

/**
 What fastify's router refuses before routing: a path that is not valid
 percent-encoding, and a path parameter (the server name) longer than
 `maxParamLength`.
 */
export function routerRefusals(maxParamLength: number) {
	return (error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void => {
		const [status, message] = error.code === 'FST_ERR_BAD_URL'
			? [400, 'Bad Request: the URL path is not valid percent-encoding']
			: (error.code === 'FST_ERR_MAX_PARAM_LENGTH'
				? [414, `URI Too Long: a server name in the path has at most ${maxParamLength} characters`]
				: [500, 'Internal error in mcpd']);
		void reply.code(status).type('application/json').send(errorResponse(undefined, status < 500 ? ErrorCode.invalidRequest : ErrorCode.internalError, message));
	};
}
