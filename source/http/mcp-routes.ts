import type {IncomingHttpHeaders, ServerResponse} from 'node:http';
import type {FastifyInstance, FastifyReply, FastifyRequest} from 'fastify';
import {ErrorCode} from '../core/jsonrpc.js';
import type {Supervisor} from '../core/supervisor.js';
import type {ParsedBody} from './json-body.js';
import {KeepAlive} from './keep-alive.js';
import {legacyFront} from './legacy-front.js';
import {claimsModern, ModernFront} from './modern/modern-front.js';
import {header} from './protocol.js';
import {methodNotAllowed, sendError} from './reply-error.js';

type Params = {name?: string};

/**
 A POST to an MCP endpoint: `name` is the path's server name (undefined for
 `/mcp`), `body` the parsed JSON (undefined when empty). Fastify's route and
 the fast path below it (`fast-post.ts`) both end here.
 */
export type McpPost = (name: string | undefined, headers: IncomingHttpHeaders, response: ServerResponse, body: ParsedBody | undefined) => Promise<void>;

/**
 The MCP Streamable HTTP endpoint of every server: `/servers/:name/mcp`, and
 `/mcp` for the only (or `default`) server. Both eras share the URL; the era
 is decided per request: an `Mcp-Session-Id`, or no 2026-era version claim
 (header or `_meta`), is legacy; a claim without a session is modern.
 */
export function mcpRoutes(app: FastifyInstance, supervisor: Supervisor): McpPost {
	const keepAlive = new KeepAlive();
	app.addHook('onClose', async () => {
		keepAlive.stop();
	});
	const legacy = legacyFront(supervisor, keepAlive);
	const modern = new ModernFront(supervisor, keepAlive);

	// The server list changes only on a reload: decide then what /mcp serves, not on every request.
	const bareOf = () => {
		const {servers} = supervisor.config;
		return servers.length === 1 ? servers[0].name : servers.find(server => server.name === 'default')?.name;
	};

	let bareServer = bareOf();
	supervisor.events.on('config-reloaded', () => {
		bareServer = bareOf();
	});
	const serverOf = (name: string | undefined): string | undefined => {
		if (name === undefined) {
			return bareServer;
		}

		return supervisor.serverConfig(name) ? name : undefined;
	};

	const unknownServer = (name: string | undefined, response: ServerResponse): void => {
		const names = supervisor.config.servers.map(server => server.name).join(', ');
		const what = name === undefined
			? `/mcp needs exactly one server or one named "default"; use /servers/NAME/mcp (servers: ${names || 'none'})`
			: `no server named "${name}" (servers: ${names || 'none'})`;
		sendError(response, 404, ErrorCode.invalidRequest, what);
	};

	type Handler = (headers: IncomingHttpHeaders, response: ServerResponse, server: string, body: ParsedBody | undefined) => void | Promise<void>;

	/**
	 Every MCP request, from fastify's routes or the fast path: the server its
	 path names, then its handler; a throw after the handler took the response
	 over still gets an answer.
	 */
	const serve = async (name: string | undefined, headers: IncomingHttpHeaders, response: ServerResponse, body: ParsedBody | undefined, handler: Handler): Promise<void> => {
		try {
			const server = serverOf(name);
			if (server === undefined) {
				unknownServer(name, response);
			} else {
				await handler(headers, response, server, body);
			}
		} catch (error) {
			supervisor.events.emit('log', {level: 'error', message: 'request failed', fields: {error: (error as Error).stack ?? String(error)}});
			sendError(response, 500, ErrorCode.internalError, 'Internal error in mcpd');
		}
	};

	const postTo: Handler = async (headers, response, server, body) => {
		if (!body) {
			sendError(response, 400, ErrorCode.invalidRequest, 'Bad Request: empty body');
			return;
		}

		// A legacy client's initialize claims no 2026 revision; one that does is a modern client calling a removed method.
		await (header(headers, 'mcp-session-id') !== undefined || !claimsModern(headers, body.value)
			? legacy.post(headers, response, server, body)
			: modern.post(headers, response, server, body));
	};

	const post: McpPost = async (name, headers, response, body) => serve(name, headers, response, body, postTo);

	// Every MCP route writes its own answer (JSON now, or SSE later) on the raw response: fastify steps aside.
	const route = (handler: Handler) => async (request: FastifyRequest<{Params: Params}>, reply: FastifyReply): Promise<void> => {
		void reply.hijack();
		await serve(request.params.name, request.headers, reply.raw, request.body as ParsedBody | undefined, handler);
	};

	const notAllowed = async (_request: FastifyRequest, reply: FastifyReply): Promise<void> => {
		void reply.hijack();
		methodNotAllowed(reply.raw);
	};

	for (const url of ['/mcp', '/servers/:name/mcp']) {
		app.post(url, route(postTo));
		// Fastify's automatic HEAD would run the GET handler and open a stream; see `legacy.head`.
		app.get(url, {exposeHeadRoute: false}, route(legacy.get));
		app.head(url, route(legacy.head));
		app.delete(url, route(legacy.remove));
		app.route({method: ['PUT', 'PATCH'], url, handler: notAllowed});
	}

	return post;
}
