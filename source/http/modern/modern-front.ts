import type {IncomingHttpHeaders, ServerResponse} from 'node:http';
import {nestingDepth} from '../../core/json-text.js';
import {ErrorCode, errorResponse, type JsonRpcId, type JsonRpcMessage} from '../../core/jsonrpc.js';
import type {IdentityRef} from '../../core/modern/pool.js';
import type {SharedChild} from '../../core/modern/shared-child.js';
import {levelIndex, META, MODERN_VERSIONS, ModernErrorCode, REMOVED_METHODS, type ClientContext} from '../../core/modern/protocol.js';
import {cacheHints} from '../../core/modern/shape.js';
import type {Supervisor} from '../../core/supervisor.js';
import type {ParsedBody} from '../json-body.js';
import type {KeepAlive} from '../keep-alive.js';
import {acceptsPostAnswers, header, isValidMessage, SUPPORTED_PROTOCOL_VERSIONS} from '../protocol.js';
import {refusalOf} from '../refusal.js';
import {sendError} from '../reply-error.js';
import {CallExchange} from './call-exchange.js';
import {headerMismatch} from './headers.js';
import {identityOf} from './identity.js';
import {ParamHeaders} from './param-headers.js';
import {openListen} from './listen.js';

/**
Every revision mcpd answers, newest first: what an `UnsupportedProtocolVersionError` lists.
*/
export const ALL_VERSIONS = [...MODERN_VERSIONS, ...SUPPORTED_PROTOCOL_VERSIONS];

/**
 The deepest nesting of arrays and objects a modern request may have. mcpd
 rewrites these requests for the stdio child (ids, `_meta`), and
 JSON.stringify overflows the stack a few thousand levels down; this leaves
 a wide margin and is far beyond what any real tool argument needs.
 */
export const MAX_MODERN_DEPTH = 1000;

/**
A request is modern when it claims a 2026-era revision, by header or in `_meta`.
*/
export function claimsModern(headers: IncomingHttpHeaders, body: unknown): boolean {
	const version = header(headers, 'mcp-protocol-version');
	if (version !== undefined && (MODERN_VERSIONS as readonly string[]).includes(version)) {
		return true;
	}

	if (body === null || typeof body !== 'object' || Array.isArray(body)) {
		return false;
	}

	const meta = (body as JsonRpcMessage).params?._meta as Record<string, unknown> | undefined;
	return meta !== undefined && meta !== null && typeof meta === 'object' && META.protocolVersion in meta;
}

/**
The answer to a version no era of mcpd speaks, in the form dual-era clients recognize.
*/
export function unsupportedVersion(response: ServerResponse, id: JsonRpcId | undefined, requested: unknown): void {
	send(response, 400, id, ModernErrorCode.unsupportedProtocolVersion, 'Unsupported protocol version', {supported: ALL_VERSIONS, requested});
}

type Request = {
	headers: IncomingHttpHeaders;
	message: JsonRpcMessage & {id: JsonRpcId; method: string};
	context: ClientContext;
	ref: IdentityRef;
};

/**
 The 2026-07-28 side of `/mcp`: stateless requests, each checked on its own
 (envelope, version, headers), then served by a child of its identity.
 */
export class ModernFront {
	readonly #supervisor: Supervisor;
	readonly #keepAlive: KeepAlive;
	readonly #params = new ParamHeaders();

	constructor(supervisor: Supervisor, keepAlive: KeepAlive) {
		this.#supervisor = supervisor;
		this.#keepAlive = keepAlive;
	}

	async post(headers: IncomingHttpHeaders, response: ServerResponse, serverName: string, body: ParsedBody): Promise<void> {
		const {value} = body;
		if (Array.isArray(value)) {
			sendError(response, 400, ErrorCode.invalidRequest, 'Invalid Request: protocol 2026-07-28 has no JSON-RPC batches; send one message per POST');
			return;
		}

		if (!isValidMessage(value)) {
			sendError(response, 400, ErrorCode.invalidRequest, 'Invalid Request: not a JSON-RPC 2.0 request or notification');
			return;
		}

		const message = value as JsonRpcMessage;
		// Each level takes two characters, so only a body this long can be too deep.
		const depth = body.raw.length > 2 * MAX_MODERN_DEPTH ? nestingDepth(body.raw) : 0;
		if (depth > MAX_MODERN_DEPTH) {
			const why = `the request nests ${depth} levels deep; protocol 2026-07-28 requests may nest at most ${MAX_MODERN_DEPTH}`;
			send(response, 400, message.id ?? undefined, ModernErrorCode.invalidParams, `Invalid params: ${why}`);
			return;
		}

		if (message.method === undefined) {
			sendError(response, 400, ErrorCode.invalidRequest, 'Invalid Request: clients send no JSON-RPC responses in protocol 2026-07-28');
			return;
		}

		if (message.id === undefined || message.id === null) {
			// No client notification means anything over HTTP in this revision (a closed stream cancels).
			response.writeHead(202, {'content-length': '0'}).end();
			return;
		}

		const request = this.#check(headers, response, serverName, message as Request['message']);
		if (!request) {
			return;
		}

		const {method, params} = request.message;
		const paramMismatch = method === 'tools/call' ? this.#params.mismatch(serverName, headers, params?.name, params?.arguments) : undefined;
		if (paramMismatch === undefined) {
			await this.#handlerOf(method, params)(request, response);
		} else {
			send(response, 400, request.message.id, ModernErrorCode.headerMismatch, `Header mismatch: ${paramMismatch}`);
		}
	}

	/**
	One handler per kind of request; everything not mcpd's own goes to a child.
	*/
	#handlerOf(method: string, params: JsonRpcMessage['params']): (request: Request, response: ServerResponse) => void | Promise<void> {
		switch (method) {
			case 'server/discover': {
				return async (request, response) => this.#discover(request, response);
			}

			case 'subscriptions/listen': {
				return async (request, response) => this.#listen(request, response);
			}

			default: {
				if (REMOVED_METHODS.has(method)) {
					return (request, response) => {
						send(response, 404, request.message.id, ErrorCode.methodNotFound, `Method not found: ${method} is not part of protocol 2026-07-28`);
					};
				}

				return params?.requestState === undefined
					? async (request, response) => this.#call(request, response)
					: (request, response) => {
						this.#resume(request, response);
					};
			}
		}
	}

	async #listen(request: Request, response: ServerResponse): Promise<void> {
		const server = request.ref.server.name;
		await openListen({
			pool: this.#supervisor.modern,
			keepAlive: this.#keepAlive,
			limits: this.#supervisor.config.sessions,
			log: (text, buffered) => {
				this.#supervisor.events.emit('log', {level: 'warn', message: text, fields: {server, buffered}});
			},
		}, request, response);
	}

	/**
	Envelope, version and headers; undefined when an error was sent.
	*/
	#check(headers: IncomingHttpHeaders, response: ServerResponse, serverName: string, message: Request['message']): Request | undefined {
		const {id} = message;
		const meta = message.params?._meta as Record<string, unknown> | undefined;
		const version = meta?.[META.protocolVersion];
		const capabilities = meta?.[META.clientCapabilities];
		if (typeof version !== 'string' || !isObject(capabilities)) {
			send(response, 400, id, ModernErrorCode.invalidParams, `Invalid params: every request carries _meta["${META.protocolVersion}"] and _meta["${META.clientCapabilities}"]`);
			return undefined;
		}

		// Headers first: a version that disagrees with its header is a mismatch before it is unsupported.
		const mismatch = headerMismatch(headers, message, version);
		if (mismatch !== undefined) {
			send(response, 400, id, ModernErrorCode.headerMismatch, `Header mismatch: ${mismatch}`);
			return undefined;
		}

		if (!(MODERN_VERSIONS as readonly string[]).includes(version)) {
			unsupportedVersion(response, id, version);
			return undefined;
		}

		if (!acceptsPostAnswers(header(headers, 'accept'))) {
			send(response, 406, id, ErrorCode.invalidRequest, 'Not Acceptable: Accept must list application/json and text/event-stream');
			return undefined;
		}

		const clientInfo = meta![META.clientInfo];
		if (clientInfo !== undefined && (!isObject(clientInfo) || typeof clientInfo.name !== 'string')) {
			send(response, 400, id, ModernErrorCode.invalidParams, `Invalid params: _meta["${META.clientInfo}"] must be {name, version}`);
			return undefined;
		}

		const level = meta![META.logLevel];
		if (level !== undefined && levelIndex(level) < 0) {
			send(response, 400, id, ModernErrorCode.invalidParams, `Invalid params: _meta["${META.logLevel}"] must be a log level (debug … emergency)`);
			return undefined;
		}

		let ref: IdentityRef;
		try {
			ref = identityOf(headers, this.#supervisor.serverConfig(serverName)!);
		} catch (error) {
			send(response, 400, id, ErrorCode.invalidRequest, (error as Error).message);
			return undefined;
		}

		const context: ClientContext = {
			capabilities,
			logLevel: level === undefined ? -1 : levelIndex(level),
			clientName: isObject(clientInfo) ? String(clientInfo.name).slice(0, 64) : undefined,
		};
		return {
			headers, message, context, ref,
		};
	}

	async #discover({message, context, ref}: Request, response: ServerResponse): Promise<void> {
		const lease = await this.#lease(ref, 'server/discover', '', context, message.id, response);
		if (!lease) {
			return;
		}

		lease.child.unreserve('server/discover', lease.exclusive);
		const profile = lease.child.profile!;
		const result: Record<string, unknown> = {
			resultType: 'complete',
			supportedVersions: ALL_VERSIONS,
			capabilities: profile.capabilities,
			...(profile.instructions !== undefined && {instructions: profile.instructions}),
			...cacheHints('tools/list', {...profile, capabilities: {}}),
			_meta: {[META.serverInfo]: profile.serverInfo},
		};
		const raw = JSON.stringify({jsonrpc: '2.0', id: message.id, result});
		response.writeHead(200, {'content-type': 'application/json', 'content-length': Buffer.byteLength(raw)}).end(raw);
	}

	async #call({message, context, ref}: Request, response: ServerResponse): Promise<void> {
		const params = message.params ?? {};
		const name = typeof params.name === 'string' ? params.name : (typeof params.uri === 'string' ? params.uri : '');
		const lease = await this.#lease(ref, message.method, name, context, message.id, response);
		if (!lease) {
			return;
		}

		const {child, exclusive} = lease;
		if (response.destroyed) {
			child.unreserve(message.method, exclusive);
			return;
		}

		const exchange = new CallExchange(response, message.method === 'tools/list'
			? answer => {
				this.#params.learn(ref.server.name, answer.result?.tools);
			}
			: undefined);
		this.#throttle(exchange, child, ref);
		const answers = isObject(params.inputResponses) ? params.inputResponses : undefined;
		const handle = child.call(message, exchange, context, {exclusive, answers});
		this.#follow(exchange, response, handle.cancel);
	}

	/**
	A retry carrying `requestState`: it answers the input round of a call still held by a child.
	*/
	#resume({message, context, ref}: Request, response: ServerResponse): void {
		const {id, params} = message;
		const verdict = this.#supervisor.requestState.verify(params!.requestState);
		if (!verdict.ok) {
			const here = this.#supervisor.config.http.instanceId;
			const why = verdict.reason === 'expired'
				? 'requestState has expired (input_timeout): send the request again without requestState and inputResponses'
				: (verdict.reason === 'elsewhere'
					? `requestState was issued by mcpd instance "${verdict.instance}", not this one ("${here}"): the load balancer must send an identity's requests to one instance`
					: 'requestState failed verification');
			send(response, 400, id, ModernErrorCode.invalidParams, `Invalid params: ${why}`);
			return;
		}

		const {state} = verdict;
		const name = typeof params!.name === 'string' ? params!.name : (typeof params!.uri === 'string' ? params!.uri : '');
		const child = state.identity === ref.key && state.method === message.method && state.name === name ? this.#supervisor.modern.child(state.child, ref.key) : undefined;
		if (!child) {
			const why = 'requestState does not belong to this request, or the call it continues has ended; send the request again without it';
			send(response, 400, id, ModernErrorCode.invalidParams, `Invalid params: ${why}`);
			return;
		}

		const exchange = new CallExchange(response);
		this.#throttle(exchange, child, ref);
		const resumed = child.resume(state, message, exchange, context);
		if (!resumed.ok) {
			send(response, 400, id, ModernErrorCode.invalidParams, `Invalid params: ${resumed.message}`);
			return;
		}

		this.#follow(exchange, response, resumed.handle!.cancel);
	}

	#throttle(exchange: CallExchange, child: SharedChild, ref: IdentityRef): void {
		exchange.throttle(() => child.hold(), this.#supervisor.config.sessions, () => {
			this.#supervisor.events.emit('log', {level: 'warn', message: 'answer stream closed: the client stopped reading it', fields: {server: ref.server.name, session: child.id}});
		});
	}

	/**
	Closing the response stream before the answer is the client's cancellation.
	*/
	#follow(exchange: CallExchange, response: ServerResponse, cancel: () => void): void {
		this.#keepAlive.add(exchange);
		response.once('close', () => {
			this.#keepAlive.delete(exchange);
			if (!exchange.settled || !response.writableFinished) {
				cancel();
			}
		});
	}

	async #lease(ref: IdentityRef, method: string, name: string, context: ClientContext, id: JsonRpcId, response: ServerResponse) {
		try {
			return await this.#supervisor.modern.lease(ref, method, name, context);
		} catch (error) {
			const refusal = refusalOf(error);
			if (refusal) {
				send(response, refusal.status, id, refusal.code, refusal.message, refusal.data, refusal.headers);
			} else {
				send(response, 502, id, ErrorCode.serverExited, `MCP server "${ref.server.name}" failed to start: ${(error as Error).message}`);
			}

			return undefined;
		}
	}
}

function isObject(value: unknown): value is Record<string, unknown> {
	return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
A refusal that names the request it refuses.
*/
function send(response: ServerResponse, status: number, id: JsonRpcId | undefined, code: number, message: string, data?: unknown, headers: Record<string, string> = {}): void {
	if (response.headersSent || response.destroyed) {
		if (!response.writableEnded) {
			response.end();
		}

		return;
	}

	const body = errorResponse(id ?? null, code, message, data);
	response.writeHead(status, {'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers});
	response.end(body);
}
