import type {ServerResponse} from 'node:http';
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
 The MCP Streamable HTTP endpoint of every server: `/servers/:name/mcp`, and
 `/mcp` for the only (or `default`) server. Both eras share the URL; the era
 is decided per request: an `Mcp-Session-Id`, or no 2026-era version claim
 (header or `_meta`), is legacy; a claim without a session is modern.
 */
export function mcpRoutes(app: FastifyInstance, supervisor: Supervisor): void {
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
	const serverOf = (request: FastifyRequest<{Params: Params}>): string | undefined => {
		const {name} = request.params;
		if (name === undefined) {
			return bareServer;
		}

		return supervisor.serverConfig(name) ? name : undefined;
	};

	const unknownServer = (request: FastifyRequest<{Params: Params}>, response: ServerResponse): void => {
		const names = supervisor.config.servers.map(server => server.name).join(', ');
		const what = request.params.name === undefined
			? `/mcp needs exactly one server or one named "default"; use /servers/NAME/mcp (servers: ${names || 'none'})`
			: `no server named "${request.params.name}" (servers: ${names || 'none'})`;
		sendError(response, 404, ErrorCode.invalidRequest, what);
	};

	/**
	 Every MCP route writes its own answer (JSON now, or SSE later), so fastify
	 steps aside; a throw after that point still gets an answer here.
	 */
	const route = (handler: (request: FastifyRequest<{Params: Params}>, response: ServerResponse, server: string) => void | Promise<void>) =>
		async (request: FastifyRequest<{Params: Params}>, reply: FastifyReply): Promise<void> => {
			void reply.hijack();
			const response = reply.raw;
			try {
				const server = serverOf(request);
				if (server === undefined) {
					unknownServer(request, response);
				} else {
					await handler(request, response, server);
				}
			} catch (error) {
				supervisor.events.emit('log', {level: 'error', message: 'request failed', fields: {error: (error as Error).stack ?? String(error)}});
				sendError(response, 500, ErrorCode.internalError, 'Internal error in mcpd');
			}
		};

	const post = async (request: FastifyRequest<{Params: Params}>, response: ServerResponse, server: string): Promise<void> => {
		const body = request.body as ParsedBody | undefined;
		if (!body) {
			sendError(response, 400, ErrorCode.invalidRequest, 'Bad Request: empty body');
			return;
		}

		// A legacy client's initialize claims no 2026 revision; one that does is a modern client calling a removed method.
		const legacyRequest = header(request.headers, 'mcp-session-id') !== undefined || !claimsModern(request.headers, body.value);
		if (legacyRequest) {
			await legacy.post(request, response, server, body);
		} else {
			await modern.post(request.headers, response, server, body);
		}
	};

	const notAllowed = async (_request: FastifyRequest, reply: FastifyReply): Promise<void> => {
		void reply.hijack();
		methodNotAllowed(reply.raw);
	};

	for (const url of ['/mcp', '/servers/:name/mcp']) {
		app.post(url, route(post));
		// Fastify's automatic HEAD would run the GET handler and open a stream; see `legacy.head`.
		app.get(url, {exposeHeadRoute: false}, route(legacy.get));
		app.head(url, route(legacy.head));
		app.delete(url, route(legacy.remove));
		app.route({method: ['PUT', 'PATCH'], url, handler: notAllowed});
	}
}
