import {AbandonedIds} from './abandoned-ids.js';
import {ChildUnit, type ChildUnitOptions} from './child-unit.js';
import type {CloseReason, RequestOutcome} from './events.js';
import {arrayElements} from './json-text.js';
import {ErrorCode, errorResponse, type JsonRpcId, type JsonRpcMessage} from './jsonrpc.js';
import {PendingTable, type PendingRequest} from './pending.js';
import type {ChildExit} from './process/child.js';

/**
 Where a child->client message should go. `response`: the stream of the
 request it answers; `related`: that request's stream, before its response;
 `standalone`: the session's GET stream.
 */
export type Target = {kind: 'response'; id: JsonRpcId} | {kind: 'related'; id: JsonRpcId} | {kind: 'standalone'};

/**
Implemented by the transport (HTTP) side: the client end of a session.
*/
export type ClientSink = {
	/**
	Returns false when no open stream could take the message.
	*/
	deliver(raw: string, message: JsonRpcMessage, target: Target): boolean;
	/**
	The client cancelled request `id`: no answer will come, release whatever waits for it.
	*/
	abandoned(id: JsonRpcId): void;
	/**
	The session ended; close its streams.
	*/
	closed(reason: CloseReason): void;
};

export type {LatencySink} from './child-unit.js';

export type SessionOptions = Omit<ChildUnitOptions, 'era' | 'identity'>;

/**
 One legacy (2025-era) MCP session: one child process, the client requests
 in flight to it and the routing of whatever the child sends back. Messages
 pass as the raw text they came in. Transport-free: the HTTP layer plugs in
 through `attach` and the stream counters.
 */
export class Session extends ChildUnit {
	readonly #pending: PendingTable<PendingRequest>;
	/**
	Requests we gave up on (timeout, cancel): their late answers are dropped.
	*/
	readonly #abandoned = new AbandonedIds();
	#sink: ClientSink | undefined;

	constructor(options: SessionOptions) {
		super({...options, era: 'legacy'});
		this.#pending = new PendingTable(options.server, pending => {
			this.#onTimeout(pending);
		});
	}

	get inFlight(): number {
		return this.#pending.size;
	}

	/**
	The client end: where the child's messages go from now on.
	*/
	attach(sink: ClientSink): void {
		this.#sink = sink;
	}

	/**
	Relays one client message (already parsed, `raw` is its text without newlines) to the child.
	*/
	fromClient(raw: string, message: JsonRpcMessage): void {
		const now = Date.now();
		this.info.lastActivity = now;
		const {id, method} = message;
		if (method !== undefined) {
			if (id !== undefined && id !== null) {
				this.#track(id, method, message, now);
			} else if (method === 'notifications/cancelled') {
				const requestId = message.params?.requestId as JsonRpcId | undefined;
				const pending = requestId === undefined ? undefined : this.#pending.get(requestId);
				// Initialize is never cancelled (spec); anything else stops counting now.
				if (pending && pending.method !== 'initialize') {
					this.#finish(pending, 'cancelled', true);
					this.#sink?.abandoned(pending.id);
				}
			}
		}

		this.conduit.write(raw);
	}

	/**
	Client requests in flight, by id: the HTTP layer checks a POST's ids against these.
	*/
	hasPending(id: JsonRpcId): boolean {
		return this.#pending.has(id);
	}

	#track(id: JsonRpcId, method: string, message: JsonRpcMessage, now: number): void {
		if (method === 'initialize') {
			const params = message.params as {clientInfo?: {name?: unknown; version?: unknown}} | undefined;
			const clientInfo = params?.clientInfo;
			if (typeof clientInfo?.name === 'string') {
				this.info.clientName = clientInfo.name;
			}

			if (typeof clientInfo?.version === 'string') {
				this.info.clientVersion = clientInfo.version;
			}
		}

		const progressToken = message.params?._meta?.progressToken;
		// The child's start is bounded by start_timeout, not by the (long) request_timeout.
		this.#pending.add({
			id, method, startedAt: now, t0: performance.now(), progressToken,
		}, method === 'initialize' && this.state === 'starting' ? this.server.startTimeoutMs : undefined);
		this.info.requests++;
		this.info.inFlight = this.#pending.size;
		this.events.emit('request-started', {
			sessionId: this.id, server: this.server.name, id, method,
		});
	}

	#finish(pending: PendingRequest, outcome: RequestOutcome, abandon: boolean, endedAt = performance.now()): void {
		this.#pending.delete(pending);
		if (abandon) {
			this.#abandoned.add(pending.id);
		}

		if (outcome !== 'ok') {
			this.info.errors++;
		}

		this.info.inFlight = this.#pending.size;
		this.info.lastActivity = Date.now();
		const durationMs = endedAt - pending.t0;
		this.latency.record(this.server.name, this.id, pending.method, durationMs, outcome === 'ok');
		this.events.emit('request-finished', {
			sessionId: this.id, server: this.server.name, id: pending.id, method: pending.method, durationMs, outcome,
		});
	}

	#onTimeout(pending: PendingRequest): void {
		const {id} = pending;
		this.#finish(pending, 'timeout', true);
		if (pending.method === 'initialize' && this.state === 'starting') {
			const {message, data} = this.startTimeoutError();
			const raw = errorResponse(id, ErrorCode.requestTimeout, message, data);
			this.#sink?.deliver(raw, JSON.parse(raw) as JsonRpcMessage, {kind: 'response', id});
			void this.close('start-timeout');
			return;
		}

		const seconds = Math.round((Date.now() - pending.startedAt) / 100) / 10;
		const raw = errorResponse(id, ErrorCode.requestTimeout, `Request timed out after ${seconds} s (server "${this.server.name}", request_timeout ${this.server.requestTimeoutMs / 1000} s)`);
		this.#sink?.deliver(raw, JSON.parse(raw) as JsonRpcMessage, {kind: 'response', id});
		if (pending.method === 'initialize') {
			void this.close('init-failed');
			return;
		}

		this.conduit.write(JSON.stringify({jsonrpc: '2.0', method: 'notifications/cancelled', params: {requestId: id, reason: 'request timed out in mcpd'}}));
	}

	protected onMessage(line: string, message: JsonRpcMessage): void {
		if (Array.isArray(message)) {
			// Split as text, not re-serialised: a deeply nested item would overflow JSON.stringify.
			const raws = arrayElements(line);
			for (const [index, item] of (message as JsonRpcMessage[]).entries()) {
				this.#route(raws[index], item);
			}
		} else {
			this.#route(line, message);
		}
	}

	#route(raw: string, message: JsonRpcMessage): void {
		const {id, method} = message;
		if (method === undefined) {
			if (id === undefined || id === null) {
				this.noise(raw);
				return;
			}

			const pending = this.#pending.get(id);
			if (!pending) {
				// A late answer to a request we timed out or the client cancelled.
				if (!this.#abandoned.delete(id)) {
					this.log('debug', 'response to an unknown request dropped', {id});
				}

				return;
			}

			if (pending.method === 'initialize' && message.result) {
				const version = (message.result as {protocolVersion?: unknown}).protocolVersion;
				if (typeof version === 'string') {
					this.info.protocolVersion = version;
				}

				this.setState('live');
			}

			// The answer leaves before mcpd's accounting of it (latency, events), which would otherwise delay it.
			const answeredAt = performance.now();
			this.#deliver(raw, message, {kind: 'response', id});
			this.#finish(pending, message.error !== undefined || message.result?.isError === true ? 'error' : 'ok', false, answeredAt);
			if (pending.method === 'initialize' && message.error !== undefined) {
				void this.close('init-failed');
			}

			return;
		}

		if (id !== undefined && id !== null) {
			this.#fromChildRequest(raw, message, id, method);
			return;
		}

		if (method === 'notifications/progress') {
			const token = message.params?.progressToken as JsonRpcId | undefined;
			const pending = token === undefined ? undefined : this.#pending.byProgressToken(token);
			if (pending) {
				this.#pending.extend(pending);
				this.#deliver(raw, message, {kind: 'related', id: pending.id});
			} else {
				this.#deliver(raw, message, {kind: 'standalone'});
			}

			return;
		}

		if (method === 'notifications/resources/updated' || method.endsWith('/list_changed')) {
			this.#deliver(raw, message, {kind: 'standalone'});
			return;
		}

		this.#deliver(raw, message, this.#soleTarget());
	}

	#fromChildRequest(raw: string, message: JsonRpcMessage, id: JsonRpcId, method: string): void {
		// Mcpd is the child's client: it answers pings itself, the HTTP client may be gone.
		if (method === 'ping') {
			this.conduit.write(`{"jsonrpc":"2.0","id":${JSON.stringify(id)},"result":{}}`);
			return;
		}

		if (!this.#deliver(raw, message, this.#soleTarget())) {
			// Answer for the client so the child does not wait forever.
			this.conduit.write(errorResponse(id, ErrorCode.internalError, `mcpd: no open client stream to deliver ${method} to`));
		}
	}

	/**
	Server messages that name no request go with the only request in flight, else to the GET stream.
	*/
	#soleTarget(): Target {
		const sole = this.#pending.sole();
		return sole ? {kind: 'related', id: sole.id} : {kind: 'standalone'};
	}

	#deliver(raw: string, message: JsonRpcMessage, target: Target): boolean {
		const delivered = this.#sink?.deliver(raw, message, target) ?? false;
		if (!delivered) {
			const reason = target.kind === 'standalone' ? 'no GET stream open' : `request ${String(target.id)} has no open stream`;
			this.events.emit('undeliverable', {
				sessionId: this.id, server: this.server.name, method: message.method, reason,
			});
			this.log('warn', 'message from server could not be delivered', {method: message.method ?? 'response', reason});
		}

		return delivered;
	}

	protected onExit(exit: ChildExit): void {
		const ending = this.ending(exit);
		for (const pending of this.#pending.values()) {
			this.#finish(pending, this.closeReason ? 'cancelled' : 'crashed', false);
			const raw = errorResponse(pending.id, ending.error.code, ending.error.message, ending.error.data);
			this.#sink?.deliver(raw, JSON.parse(raw) as JsonRpcMessage, {kind: 'response', id: pending.id});
		}

		this.#sink?.closed(ending.reason);
		this.closed(exit, ending);
	}
}
