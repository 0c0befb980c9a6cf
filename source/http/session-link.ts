import type {ServerResponse} from 'node:http';
import type {CloseReason} from '../core/events.js';
import type {JsonRpcId, JsonRpcMessage} from '../core/jsonrpc.js';
import type {ClientSink, Session, Target} from '../core/session.js';
import {dropWhenOverfull, holdWhileFull, type FlowLimits} from './backpressure.js';
import type {Exchange} from './exchange.js';
import {isOpen, writeEvent} from './sse.js';

/**
 The HTTP end of one session: which POST answer each request id belongs to,
 and the session's GET stream. Each message goes out on exactly one stream.
 */
export class SessionLink implements ClientSink {
	readonly session: Session;
	readonly #exchanges = new Map<JsonRpcId, Exchange>();
	#stream: ServerResponse | undefined;
	#onClosed: ((reason: CloseReason) => void) | undefined;
	readonly #limits: FlowLimits;
	readonly #log: (message: string, fields: Record<string, unknown>) => void;

	constructor(session: Session, limits: FlowLimits, log: (message: string, fields: Record<string, unknown>) => void, onClosed?: (reason: CloseReason) => void) {
		this.session = session;
		this.#limits = limits;
		this.#log = log;
		this.#onClosed = onClosed;
		session.attach(this);
	}

	expect(id: JsonRpcId, exchange: Exchange): void {
		this.#exchanges.set(id, exchange);
	}

	/**
	Whether the session's one GET stream is taken.
	*/
	get streamOpen(): boolean {
		return this.#stream !== undefined && isOpen(this.#stream);
	}

	/**
	Adopts a GET stream; false when one is already open (the client gets 409).
	*/
	openStream(response: ServerResponse): boolean {
		if (this.streamOpen) {
			return false;
		}

		this.#stream = response;
		this.session.streamOpened();
		response.once('close', () => {
			if (this.#stream === response) {
				this.#stream = undefined;
			}

			this.session.streamClosed();
		});
		return true;
	}

	deliver(raw: string, message: JsonRpcMessage, target: Target): boolean {
		if (target.kind === 'standalone') {
			const stream = this.#stream;
			if (!stream || !isOpen(stream)) {
				return false;
			}

			writeEvent(stream, raw);
			return dropWhenOverfull(stream, this.#limits, buffered => {
				this.#log('GET stream closed: the client is not reading it', {session: this.session.id, buffered});
			});
		}

		const exchange = this.#exchanges.get(target.id);
		if (!exchange) {
			return false;
		}

		if (target.kind === 'response') {
			this.#exchanges.delete(target.id);
		}

		const sent = exchange.send(raw, message, target.kind === 'response' ? target.id : undefined);
		holdWhileFull(exchange.response, () => this.session.hold(), this.#limits, () => {
			this.#log('answer stream closed: the client stopped reading it', {session: this.session.id, stallSeconds: this.#limits.stallTimeoutMs / 1000});
		});
		return sent;
	}

	abandoned(id: JsonRpcId): void {
		const exchange = this.#exchanges.get(id);
		if (!exchange) {
			return;
		}

		this.#exchanges.delete(id);
		exchange.forget(id);
	}

	/**
	SSE comments on every open stream of the session; see `Exchange.keepAlive`.
	*/
	keepAlive(): void {
		if (this.#stream && isOpen(this.#stream)) {
			this.#stream.write(': keep-alive\n\n');
		}

		for (const exchange of new Set(this.#exchanges.values())) {
			exchange.keepAlive();
		}
	}

	closed(reason: CloseReason): void {
		for (const exchange of this.#exchanges.values()) {
			exchange.end();
		}

		this.#exchanges.clear();
		if (this.#stream && isOpen(this.#stream)) {
			this.#stream.end();
		}

		this.#onClosed?.(reason);
		this.#onClosed = undefined;
	}
}
