import type {IncomingMessage, ServerResponse} from 'node:http';
import type {Guard} from './guard.js';
import {bodyRefusal, JsonParseError, parseBody} from './json-body.js';
import type {McpPost} from './mcp-routes.js';
import {sendError} from './reply-error.js';

export type FastPostOptions = {
	guard: Guard;
	maxBody: number;
	isClosing: () => boolean;
	/**
	Unknown names go to fastify's router, whose refusals (a name too long, say) differ.
	*/
	hasServer: (name: string) => boolean;
};

/**
 Serves the plain case of an MCP POST straight from Node's request event,
 below fastify: its request and reply objects, hooks, router and body parser
 cost 4 to 6 µs of the ~100 µs of CPU mcpd spends per relayed call
 (bench/README.md, the profile section). Only a request whose every check
 passes is taken: `/mcp` or `/servers/NAME/mcp` without query or escapes and
 naming a configured server, `application/json` with a `Content-Length`
 within the limit, an allowed Origin and Host, the token if one is set, mcpd
 not closing. Anything
 else returns false before a byte of the body is read, and fastify's routes,
 which serve every case, answer it, refusals included. Both end in the same
 `McpPost`.
 */
export function fastPost(options: FastPostOptions, post: () => McpPost | undefined): (request: IncomingMessage, response: ServerResponse) => boolean {
	const {guard, maxBody, isClosing, hasServer} = options;
	return (request, response) => {
		const handler = post();
		if (request.method !== 'POST' || handler === undefined) {
			return false;
		}

		const name = serverNameOf(request.url!);
		if (name === false || (name !== undefined && !hasServer(name))) {
			return false;
		}

		const {headers} = request;
		const type = headers['content-type'];
		const length = headers['content-length'];
		if (
			(type !== 'application/json' && !type?.startsWith('application/json;'))
			|| length === undefined || headers['transfer-encoding'] !== undefined
			|| !(Number(length) <= maxBody)
			|| guard.checkOrigin(headers.host, headers.origin) !== undefined
			|| !guard.checkToken(headers.authorization)
			|| isClosing()
		) {
			return false;
		}

		readBody(request, text => {
			let body;
			try {
				body = parseBody(text);
			} catch (error) {
				const [status, code, message] = bodyRefusal(error as JsonParseError);
				sendError(response, status, code, message);
				return;
			}

			void handler(name, headers, response, body);
		});
		return true;
	};
}

/**
 The server a plain MCP path names: undefined for `/mcp`, the name for
 `/servers/NAME/mcp`, false for anything else (including names with escapes,
 which fastify's router decodes).
 */
export function serverNameOf(url: string): string | undefined | false {
	if (url === '/mcp') {
		return undefined;
	}

	if (!url.startsWith('/servers/') || !url.endsWith('/mcp')) {
		return false;
	}

	const name = url.slice(9, -4);
	return name === '' || /[#%/?]/.test(name) ? false : name;
}

/**
 The body, decoded once at the end so a character split across reads stays
 whole. Node's parser holds the body to its Content-Length; a client that
 leaves before the end gets no answer, as there is nobody to read it.
 */
function readBody(request: IncomingMessage, done: (text: string) => void): void {
	const chunks: Buffer[] = [];
	request.on('data', (chunk: Buffer) => {
		chunks.push(chunk);
	});
	request.once('end', () => {
		done(chunks.length === 1 ? chunks[0].toString('utf8') : Buffer.concat(chunks).toString('utf8'));
	});
	// A reset mid-body ('aborted'): without a listener the stream's error would be thrown.
	request.once('error', () => {});
}
