import type {IncomingHttpHeaders, ServerResponse} from 'node:http';
import {arrayElements} from '../core/json-text.js';
import {ErrorCode, type JsonRpcId, type JsonRpcMessage} from '../core/jsonrpc.js';
import type {Supervisor} from '../core/supervisor.js';
import {EndedSessions} from './ended-sessions.js';
import {Exchange} from './exchange.js';
import {headerEnv} from './header-env.js';
import type {ParsedBody} from './json-body.js';
import type {KeepAlive} from './keep-alive.js';
import {unsupportedVersion} from './modern/modern-front.js';
import {acceptsEventStream, acceptsPostAnswers, answerableId, BATCH_PROTOCOL_VERSION, header, isValidMessage, SUPPORTED_PROTOCOL_VERSIONS} from './protocol.js';
import {refusalOf} from './refusal.js';
import {methodNotAllowed, sendError} from './reply-error.js';
import {SessionLink} from './session-link.js';
import {SSE_HEADERS} from './sse.js';

type Item = {
	raw: string;
	message: JsonRpcMessage;
};

export type LegacyFront = {
	post(headers: IncomingHttpHeaders, response: ServerResponse, server: string, body: ParsedBody): void | Promise<void>;
	get(headers: IncomingHttpHeaders, response: ServerResponse, server: string): void;
	head(headers: IncomingHttpHeaders, response: ServerResponse, server: string): void;
	remove(headers: IncomingHttpHeaders, response: ServerResponse, server: string): Promise<void>;
};

/**
 The 2025-era side of `/mcp`: sessions made by `initialize`, one child each,
 messages relayed as raw text, a GET stream per session, DELETE to end it.
 */
export function legacyFront(supervisor: Supervisor, keepAlive: KeepAlive): LegacyFront {
	const links = new Map<string, SessionLink>();
	const ended = new EndedSessions();

	/**
	The session a request names, or an answer already sent (400 without an id, 404 when unknown).
	*/
	const linkOf = (headers: IncomingHttpHeaders, server: string, response: ServerResponse): SessionLink | undefined => {
		const id = header(headers, 'mcp-session-id');
		if (id === undefined) {
			sendError(response, 400, ErrorCode.invalidRequest, 'Bad Request: Mcp-Session-Id header is required (send initialize first)');
			return undefined;
		}

		const link = links.get(id);
		if (!link || link.session.server.name !== server || link.session.state === 'closing') {
			// 404 is what makes a client start a new session (spec), so never 400 here.
			const end = ended.get(id);
			const message = end === undefined
				? 'Session not found: it expired or was closed; initialize a new one'
				: `Session ended (${end.reason}); initialize a new one`;
			sendError(response, 404, ErrorCode.noSession, message, {data: end});
			return undefined;
		}

		return link;
	};

	const post = (headers: IncomingHttpHeaders, response: ServerResponse, server: string, body: ParsedBody): void | Promise<void> => {
		if (!acceptsPostAnswers(header(headers, 'accept'))) {
			sendError(response, 406, ErrorCode.invalidRequest, 'Not Acceptable: Accept must list application/json and text/event-stream');
			return;
		}

		const version = header(headers, 'mcp-protocol-version');
		if (version !== undefined && !SUPPORTED_PROTOCOL_VERSIONS.has(version)) {
			unsupportedVersion(response, answerableId(body.value), version);
			return;
		}

		if (Array.isArray(body.value)) {
			batch(headers, server, body, response);
			return;
		}

		if (!isValidMessage(body.value)) {
			sendError(response, 400, ErrorCode.invalidRequest, 'Invalid Request: not a JSON-RPC 2.0 request, notification or response');
			return;
		}

		const message = body.value as JsonRpcMessage;
		const item = {raw: body.raw, message};
		if (message.method === 'initialize') {
			return initialize(headers, server, item, response);
		}

		const link = linkOf(headers, server, response);
		if (link) {
			relay(link, [item], response);
		}
	};

	const initialize = async (headers: IncomingHttpHeaders, server: string, item: Item, response: ServerResponse): Promise<void> => {
		const {message} = item;
		if (message.id === undefined || message.id === null) {
			sendError(response, 400, ErrorCode.invalidRequest, 'Invalid Request: initialize must be a request with an id');
			return;
		}

		if (header(headers, 'mcp-session-id') !== undefined) {
			sendError(response, 400, ErrorCode.invalidRequest, 'Invalid Request: initialize must be sent without Mcp-Session-Id; the session is already initialized');
			return;
		}

		const config = supervisor.serverConfig(server)!;
		let sessionEnv: Record<string, string> | undefined;
		try {
			sessionEnv = headerEnv(headers, config.headerEnv);
		} catch (error) {
			sendError(response, 400, ErrorCode.invalidRequest, (error as Error).message);
			return;
		}

		// A server backing off after failed starts makes the client wait; one that leaves stops the wait.
		const gone = new AbortController();
		const onClose = () => {
			gone.abort();
		};

		response.once('close', onClose);
		let session;
		try {
			session = await supervisor.open(server, {sessionEnv, tag: tagOf(headers), signal: gone.signal});
		} catch (error) {
			if (gone.signal.aborted) {
				return;
			}

			const refusal = refusalOf(error);
			if (!refusal) {
				throw error;
			}

			sendError(response, refusal.status, refusal.code, refusal.message, {headers: refusal.headers, data: refusal.data});
			return;
		} finally {
			response.off('close', onClose);
		}

		const link = new SessionLink(session, supervisor.config.sessions, (text, fields) => {
			supervisor.events.emit('log', {level: 'warn', message: text, fields: {server, ...fields}});
		}, reason => {
			links.delete(session.id);
			keepAlive.delete(link);
			ended.add(session.id, reason, session.stderr.tail(20));
		});
		links.set(session.id, link);
		keepAlive.add(link);
		const exchange = new Exchange(response, [message.id], {sessionId: session.id});
		link.expect(message.id, exchange);
		session.fromClient(item.raw, message);
	};

	const batch = (headers: IncomingHttpHeaders, server: string, body: ParsedBody, response: ServerResponse): void => {
		const values = body.value as unknown[];
		if (values.length === 0 || values.some(value => !isValidMessage(value))) {
			sendError(response, 400, ErrorCode.invalidRequest, 'Invalid Request: a batch must be a non-empty array of JSON-RPC messages');
			return;
		}

		const messages = values as JsonRpcMessage[];
		if (messages.some(message => message.method === 'initialize')) {
			sendError(response, 400, ErrorCode.invalidRequest, 'Invalid Request: initialize cannot be part of a batch');
			return;
		}

		const link = linkOf(headers, server, response);
		if (!link) {
			return;
		}

		const version = link.session.info.protocolVersion;
		if (version !== BATCH_PROTOCOL_VERSION) {
			sendError(
				response,
				400,
				ErrorCode.invalidRequest,
				`Invalid Request: JSON-RPC batches exist only in protocol ${BATCH_PROTOCOL_VERSION}; this session speaks ${version ?? 'an unknown version'}`,
			);
			return;
		}

		// Each item goes on as the client wrote it: re-serialising could overflow the stack on deep nesting.
		const raws = arrayElements(body.raw);
		if (raws.length !== messages.length) {
			throw new Error(`batch of ${messages.length} split into ${raws.length} texts`);
		}

		relay(link, messages.map((message, index) => ({raw: raws[index], message})), response);
	};

	const relay = (link: SessionLink, items: Item[], response: ServerResponse): void => {
		const {session} = link;
		const ids: JsonRpcId[] = [];
		for (const {message} of items) {
			if (message.method === undefined || message.id === undefined || message.id === null) {
				continue;
			}

			if (session.hasPending(message.id) || ids.includes(message.id)) {
				sendError(response, 400, ErrorCode.invalidRequest, `Invalid Request: request id ${JSON.stringify(message.id)} is already in flight in this session`);
				return;
			}

			ids.push(message.id);
		}

		if (ids.length === 0) {
			for (const item of items) {
				session.fromClient(item.raw, item.message);
			}

			response.writeHead(202, {'content-length': '0'}).end();
			return;
		}

		const exchange = new Exchange(response, ids);
		for (const id of ids) {
			link.expect(id, exchange);
		}

		for (const item of items) {
			session.fromClient(item.raw, item.message);
		}
	};

	/**
	The checks a GET stream request passes: Accept, a session id, a live session; undefined when refused.
	*/
	const streamLink = (headers: IncomingHttpHeaders, response: ServerResponse, server: string): SessionLink | undefined => {
		if (!acceptsEventStream(header(headers, 'accept'))) {
			sendError(response, 406, ErrorCode.invalidRequest, 'Not Acceptable: GET needs Accept: text/event-stream');
			return undefined;
		}

		if (header(headers, 'mcp-session-id') === undefined) {
			methodNotAllowed(response);
			return undefined;
		}

		return linkOf(headers, server, response);
	};

	const conflict = (response: ServerResponse): void => {
		sendError(response, 409, ErrorCode.invalidRequest, 'Conflict: this session already has an open GET stream');
	};

	const get = (headers: IncomingHttpHeaders, response: ServerResponse, server: string): void => {
		const link = streamLink(headers, response, server);
		if (!link) {
			return;
		}

		if (!link.openStream(response)) {
			conflict(response);
			return;
		}

		response.writeHead(200, SSE_HEADERS);
		response.flushHeaders();
	};

	/**
	 HEAD is GET without content (RFC 9110 §9.3.2), so it gets the status and
	 headers that GET would get, but opens no stream: a probe (a monitor, a
	 proxy checking the URL) must not take the session's one GET stream and
	 leave the client's own GET a 409. MCP clients themselves never send HEAD.
	 */
	const head = (headers: IncomingHttpHeaders, response: ServerResponse, server: string): void => {
		const link = streamLink(headers, response, server);
		if (!link) {
			return;
		}

		if (link.streamOpen) {
			conflict(response);
		} else {
			response.writeHead(200, SSE_HEADERS).end();
		}
	};

	const remove = async (headers: IncomingHttpHeaders, response: ServerResponse, server: string): Promise<void> => {
		if (header(headers, 'mcp-session-id') === undefined) {
			methodNotAllowed(response);
			return;
		}

		const link = linkOf(headers, server, response);
		if (!link) {
			return;
		}

		// Answer once the child is reaped, so "200" means the process is gone.
		await supervisor.kill(link.session.id, {reason: 'delete'});
		response.writeHead(200, {'content-type': 'application/json'}).end('{}');
	};

	return {
		post, get, head, remove,
	};
}

/**
A short label a client may put on its session (the dashboard's prompt uses `prompt`, the chat page `web`).
*/
function tagOf(headers: IncomingHttpHeaders): string | undefined {
	const tag = header(headers, 'x-mcpd-tag');
	return tag !== undefined && /^[\w\-.]{1,32}$/.test(tag) ? tag : undefined;
}
