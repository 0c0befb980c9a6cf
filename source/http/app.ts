import Fastify, {type FastifyError, type FastifyInstance} from 'fastify';
import type {Config} from '../config/types.js';
import {ErrorCode, errorResponse} from '../core/jsonrpc.js';
import type {Supervisor} from '../core/supervisor.js';
import {chatRoutes, isPublicChatPath} from '../web/chat-routes.js';
import {http} from '../lib/builtins.js';
import {clientErrorHandler, routerRefusals} from './early-refusals.js';
import {fastPost} from './fast-post.js';
import {Guard} from './guard.js';
import {bodyRefusal, jsonBody, type JsonParseError} from './json-body.js';
import {applyLimits, serverOptions} from './limits.js';
import {type McpPost, mcpRoutes} from './mcp-routes.js';
import {lazySchemaCompilers} from './schema-compilers.js';
import {metricsRoutes} from './metrics-routes.js';
import {statusRoutes} from './status-routes.js';

export type AppOptions = {
	supervisor: Supervisor;
	config: Config;
	version: string;
	latency?: () => unknown;
};

/**
 Node closes idle keep-alive sockets after 5 s by default, and SDK 1.25+
 clients then lose their session (typescript-sdk#1852); long-lived MCP
 clients idle for minutes between calls.
 */
const KEEP_ALIVE_TIMEOUT_MS = 300_000;

/**
Builds the HTTP app without listening, so tests can `inject` or listen on port 0.
*/
export function buildApp(options: AppOptions): FastifyInstance {
	const {config, supervisor} = options;
	// Fastify's default of 100 would make a server with a longer name unreachable.
	const maxParamLength = Math.max(100, ...config.servers.map(server => server.name.length));
	const guard = new Guard({
		bindHost: config.http.host, allowedOrigins: config.http.allowedOrigins, token: config.http.token, sameOrigin: config.web.enabled,
	});
	let closing = false;
	let mcpPost: McpPost | undefined;
	const fast = fastPost({
		guard, maxBody: config.http.maxBody, isClosing: () => closing, hasServer: name => supervisor.serverConfig(name) !== undefined,
	}, () => mcpPost);
	const app = Fastify({
		logger: false,
		// Node's server made here instead of by fastify, so the MCP POST's fast path sees each request first.
		serverFactory(handler, options) {
			const server = http.createServer(options.http ?? {}, (request, response) => {
				if (!fast(request, response)) {
					handler(request, response);
				}
			});
			server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
			return server;
		},
		schemaController: {compilersFactory: lazySchemaCompilers},
		bodyLimit: config.http.maxBody,
		keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS,
		// Open SSE streams would otherwise hold `close()` up until the client leaves.
		forceCloseConnections: true,
		return503OnClosing: true,
		routerOptions: {maxParamLength},
		clientErrorHandler: clientErrorHandler(config.http),
		frameworkErrors: routerRefusals(maxParamLength),
		http: serverOptions(config.http),
	});
	applyLimits(app.server, config.http, (message, fields) => {
		supervisor.events.emit('log', {level: 'warn', message, fields});
	});

	// The fast path leaves requests to fastify from here on, which answers them 503 while it closes.
	app.addHook('preClose', async () => {
		closing = true;
	});

	const web = config.web.enabled;
	const isPublic = (url: string) => url === '/healthz' || (web && isPublicChatPath(url));
	app.addHook('onRequest', async (request, reply) => {
		const refusal = guard.checkOrigin(request.headers.host, request.headers.origin);
		if (refusal !== undefined) {
			return reply.code(403).type('application/json').send(errorResponse(undefined, ErrorCode.forbidden, `Forbidden: ${refusal}`));
		}

		if (!isPublic(request.url) && !guard.checkToken(request.headers.authorization)) {
			return reply
				.code(401)
				.header('www-authenticate', 'Bearer realm="mcpd"')
				.type('application/json')
				.send(errorResponse(undefined, ErrorCode.unauthorized, 'Unauthorized: send Authorization: Bearer <token> (http.token)'));
		}
	});

	jsonBody(app, config.http.maxBody);

	app.setErrorHandler((error: FastifyError, _request, reply) => {
		const [status, code, message] = describe(error, config.http.maxBody);
		if (status >= 500) {
			supervisor.events.emit('log', {level: 'error', message: 'request failed', fields: {error: error.message}});
		}

		void reply.code(status).type('application/json').send(errorResponse(undefined, code, message));
	});

	app.setNotFoundHandler((request, reply) => {
		const text = `Not Found: ${request.method} ${request.url.split('?', 1)[0]} (MCP endpoints: /mcp, /servers/NAME/mcp)`;
		void reply.code(404).type('application/json').send(errorResponse(undefined, ErrorCode.invalidRequest, text));
	});

	mcpPost = mcpRoutes(app, supervisor);
	metricsRoutes(app, supervisor);
	statusRoutes(app, {
		port: supervisor, version: options.version, startedAt: Date.now(), latency: options.latency, isClosing: () => closing,
	});
	if (web) {
		chatRoutes(app, {config, parentEnv: supervisor.parentEnv, version: options.version});
	}

	return app;
}

function describe(error: FastifyError, maxBody: number): [number, number, string] {
	switch (error.code) {
		case 'MCPD_JSON_PARSE':
		case 'FST_ERR_CTP_EMPTY_JSON_BODY': {
			return bodyRefusal(error as unknown as JsonParseError);
		}

		case 'FST_ERR_CTP_BODY_TOO_LARGE': {
			return [413, ErrorCode.invalidRequest, `Payload Too Large: the body exceeds http.max_body (${maxBody} bytes)`];
		}

		case 'FST_ERR_CTP_INVALID_MEDIA_TYPE': {
			return [415, ErrorCode.invalidRequest, 'Unsupported Media Type: Content-Type must be application/json'];
		}

		default: {
			const status = error.statusCode ?? 500;
			return status < 500 ? [status, ErrorCode.invalidRequest, error.message] : [500, ErrorCode.internalError, 'Internal error in mcpd'];
		}
	}
}
