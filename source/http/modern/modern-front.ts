import type {IncomingHttpHeaders, ServerResponse} from 'node:http';
import {OpenError} from '../../core/errors.js';
import {ErrorCode, errorResponse, type JsonRpcId, type JsonRpcMessage} from '../../core/jsonrpc.js';
import type {IdentityRef} from '../../core/modern/pool.js';
import type {SharedChild} from '../../core/modern/shared-child.js';
import {levelIndex, META, MODERN_VERSIONS, ModernErrorCode, REMOVED_METHODS, type ClientContext} from '../../core/modern/protocol.js';
import {cacheHints} from '../../core/modern/shape.js';
import type {Supervisor} from '../../core/supervisor.js';
import type {KeepAlive} from '../keep-alive.js';
import {acceptsPostAnswers, answerableId, header, isValidMessage, MAX_NESTING, nestedDeeperThan, SUPPORTED_PROTOCOL_VERSIONS} from '../protocol.js';
import {sendError} from '../reply-error.js';
import {CallExchange} from './call-exchange.js';
import {headerMismatch} from './headers.js';
import {identityOf} from './identity.js';
import {ParamHeaders} from './param-headers.js';
import {openListen} from './listen.js';

/** Every revision mcpd answers, newest first: what an `UnsupportedProtocolVersionError` lists. */
export const ALL_VERSIONS = [...MODERN_VERSIONS, ...SUPPORTED_PROTOCOL_VERSIONS];

/** A request is modern when it claims a 2026-era revision, by header or in `_meta`. */
export function claimsModern(headers: IncomingHttpHeaders, body: unknown): boolean {
	const version = header(headers, 'mcp-protocol-version');
	if (version !== undefined && (MODERN_VERSIONS as readonly string[]).includes(version)) return true;
	if (body === null || typeof body !== 'object' || Array.isArray(body)) return false;
	const meta = (body as JsonRpcMessage).params?._meta as Record<string, unknown> | undefined;
	return meta !== undefined && meta !== null && typeof meta === 'object' && META.protocolVersion in meta;
}

/** The answer to a version no era of mcpd speaks, in the form dual-era clients recognize. */
export function unsupportedVersion(response: ServerResponse, id: JsonRpcId | undefined, requested: unknown): void {
	send(response, 400, id, ModernErrorCode.unsupportedProtocolVersion, 'Unsupported protocol version', {supported: ALL_VERSIONS, requested});
}

interface Request {
	headers: IncomingHttpHeaders;
	message: JsonRpcMessage & {id: JsonRpcId; method: string};
	context: ClientContext;
	ref: IdentityRef;
}

/**
 * The 2026-07-28 side of `/mcp`: stateless requests, each checked on its own
 * (envelope, version, headers), then served by a child of its identity.
 */
export class ModernFront {
	readonly #supervisor: Supervisor;
	readonly #keepAlive: KeepAlive;
	readonly #params = new ParamHeaders();

	constructor(supervisor: Supervisor, keepAlive: KeepAlive) {
		this.#supervisor = supervisor;
		this.#keepAlive = keepAlive;
	}

	async post(headers: IncomingHttpHeaders, response: ServerResponse, serverName: string, value: unknown): Promise<void> {
		if (Array.isArray(value)) {
			sendError(response, 400, ErrorCode.invalidRequest, 'Invalid Request: protocol 2026-07-28 has no JSON-RPC batches; send one message per POST');
			return;
		}

		if (!isValidMessage(value)) {
			sendError(response, 400, ErrorCode.invalidRequest, 'Invalid Request: not a JSON-RPC 2.0 request or notification');
			return;
		}

		// The message is rewritten for the child, and its progress token for the client, by JSON.stringify.
		if (nestedDeeperThan(value, MAX_NESTING)) {
			send(response, 400, answerableId(value), ErrorCode.invalidRequest, `Invalid Request: the message is nested deeper than ${MAX_NESTING} levels`);
			return;
		}

		const message = value as JsonRpcMessage;
		if (message.method === undefined) {
			sendError(response, 400, ErrorCode.invalidRequest, 'Invalid Request: clients send no JSON-RPC responses in protocol 2026-07-28');
			return;
		}

		if (message.id === undefined || message.id === null) {
			// No client notification means anything over HTTP in this revision (a closed stream cancels).
			response.writeHead(202).end();
			return;
		}

		const request = this.#check(headers, response, serverName, message as Request['message']);
		if (!request) return;
		const {method, params} = request.message;
		const paramMismatch = method === 'tools/call' ? this.#params.mismatch(serverName, headers, params?.name, params?.arguments) : undefined;
		if (paramMismatch !== undefined) send(response, 400, request.message.id, ModernErrorCode.headerMismatch, `Header mismatch: ${paramMismatch}`);
		else if (method === 'server/discover') await this.#discover(request, response);
		else if (method === 'subscriptions/listen') await openListen({
			pool: this.#supervisor.modern,
			keepAlive: this.#keepAlive,
			limits: this.#supervisor.config.sessions,
			log: (text, buffered) => {
				this.#supervisor.events.emit('log', {level: 'warn', message: text, fields: {server: serverName, buffered}});
			},
		}, request, response);
		else if (REMOVED_METHODS.has(method)) send(response, 404, request.message.id, ErrorCode.methodNotFound, `Method not found: ${method} is not part of protocol 2026-07-28`);
		else if (request.message.params?.requestState === undefined) await this.#call(request, response);
		else this.#resume(request, response);
	}

	/** Envelope, version and headers; undefined when an error was sent. */
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
			capabilities: capabilities as Record<string, unknown>,
			logLevel: level === undefined ? -1 : levelIndex(level),
			clientName: isObject(clientInfo) ? String(clientInfo.name).slice(0, 64) : undefined,
		};
		return {headers, message, context, ref};
	}

	async #discover({message, context, ref}: Request, response: ServerResponse): Promise<void> {
		const lease = await this.#lease(ref, 'server/discover', '', context, message.id, response);
		if (!lease) return;
		lease.child.unreserve('server/discover', lease.exclusive);
		const profile = lease.child.profile!;
		const result: Record<string, unknown> = {
			resultType: 'complete',
			supportedVersions: ALL_VERSIONS,
			capabilities: profile.capabilities,
			...(profile.instructions === undefined ? {} : {instructions: profile.instructions}),
			...cacheHints('tools/list', {...profile, capabilities: {}}),
			_meta: {[META.serverInfo]: profile.serverInfo},
		};
		const raw = JSON.stringify({jsonrpc: '2.0', id: message.id, result});
		response.writeHead(200, {'content-type': 'application/json', 'content-length': Buffer.byteLength(raw)}).end(raw);
	}

	async #call({message, context, ref}: Request, response: ServerResponse): Promise<void> {
		const params = message.params ?? {};
		const name = typeof params.name === 'string' ? params.name : typeof params.uri === 'string' ? params.uri : '';
		const lease = await this.#lease(ref, message.method, name, context, message.id, response);
		if (!lease) return;
		const {child, exclusive} = lease;
		if (response.destroyed) {
			child.unreserve(message.method, exclusive);
			return;
		}

		const exchange = new CallExchange(response, message.method === 'tools/list' ? answer => {
			this.#params.learn(ref.server.name, answer.result?.tools);
		} : undefined);
		this.#throttle(exchange, child, ref);
		const answers = isObject(params.inputResponses) ? params.inputResponses : undefined;
		const handle = child.call(message, exchange, context, {exclusive, answers});
		this.#follow(exchange, response, handle.cancel);
	}

	/** A retry carrying `requestState`: it answers the input round of a call still held by a child. */
	#resume({message, context, ref}: Request, response: ServerResponse): void {
		const {id, params} = message;
		const verdict = this.#supervisor.requestState.verify(params!.requestState);
		if (!verdict.ok) {
			const why = verdict.reason === 'expired'
				? 'requestState has expired (input_timeout): send the request again without requestState and inputResponses'
				: 'requestState failed verification';
			send(response, 400, id, ModernErrorCode.invalidParams, `Invalid params: ${why}`);
			return;
		}

		const {state} = verdict;
		const name = typeof params!.name === 'string' ? params!.name : typeof params!.uri === 'string' ? params!.uri : '';
		const child = state.identity === ref.key && state.method === message.method && state.name === name ? this.#supervisor.modern.child(state.child, ref.key) : undefined;
		if (!child) {
			send(response, 400, id, ModernErrorCode.invalidParams, 'Invalid params: requestState does not belong to this request, or the call it continues has ended; send the request again without it');
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

	/** Closing the response stream before the answer is the client's cancellation. */
	#follow(exchange: CallExchange, response: ServerResponse, cancel: () => void): void {
		this.#keepAlive.add(exchange);
		response.once('close', () => {
			this.#keepAlive.delete(exchange);
			if (!exchange.settled || !response.writableFinished) cancel();
		});
	}

	async #lease(ref: IdentityRef, method: string, name: string, context: ClientContext, id: JsonRpcId, response: ServerResponse) {
		try {
			return await this.#supervisor.modern.lease(ref, method, name, context);
		} catch (error) {
			if (error instanceof OpenError) {
				const status = error.code === 'unknown-server' ? 404 : 503;
				const headers: Record<string, string> = error.retryAfter === undefined ? {} : {'retry-after': String(error.retryAfter)};
				send(response, status, id, ErrorCode.busy, error.message, undefined, headers);
				return undefined;
			}

			send(response, 502, id, ErrorCode.serverExited, `MCP server "${ref.server.name}" failed to start: ${(error as Error).message}`);
			return undefined;
		}
	}
}

function isObject(value: unknown): value is Record<string, unknown> {
	return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** A refusal that names the request it refuses. */
function send(response: ServerResponse, status: number, id: JsonRpcId | undefined, code: number, message: string, data?: unknown, headers: Record<string, string> = {}): void {
	if (response.headersSent || response.destroyed) {
		if (!response.writableEnded) response.end();
		return;
	}

	const body = errorResponse(id ?? null, code, message, data);
	response.writeHead(status, {'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers});
	response.end(body);
}
