import type {ServerResponse} from 'node:http';
import type {JsonRpcMessage} from '../../core/jsonrpc.js';
import type {CallSink} from '../../core/modern/call.js';
import {holdWhileFull, type FlowLimits} from '../backpressure.js';
import {YOUNG_MS} from '../keep-alive.js';
import {isOpen, SSE_HEADERS, writeEvent} from '../sse.js';

/**
 The HTTP answer to one modern request. As for legacy POSTs the choice is
 late: a lone answer goes out as JSON with the status it calls for;
 anything before it (progress, logs) or a slow answer makes it an SSE
 stream scoped to this request, which the answer then ends.
 */
export class CallExchange implements CallSink {
	readonly #response: ServerResponse;
	readonly #onAnswer: ((message: JsonRpcMessage) => void) | undefined;
	#mode: 'waiting' | 'sse' | 'done' = 'waiting';
	readonly #started = performance.now();
	#flow: {hold: () => () => void; limits: FlowLimits; onStall: () => void} | undefined;

	/**
	`onAnswer` sees the final answer (parsed) before it goes out.
	*/
	constructor(response: ServerResponse, onAnswer?: (message: JsonRpcMessage) => void) {
		this.#response = response;
		this.#onAnswer = onAnswer;
	}

	/**
	From now on a full socket holds `hold`'s child until the client reads (see `holdWhileFull`).
	*/
	throttle(hold: () => () => void, limits: FlowLimits, onStall: () => void): void {
		this.#flow = {hold, limits, onStall};
	}

	/**
	The answer went out (or the client left): closing the stream no longer cancels anything.
	*/
	get settled(): boolean {
		return this.#mode === 'done' || !isOpen(this.#response);
	}

	notify(raw: string): boolean {
		if (this.settled) {
			return false;
		}

		this.#openSse();
		writeEvent(this.#response, raw);
		this.#throttle();
		return true;
	}

	respond(raw: string, message: JsonRpcMessage, status: number): void {
		if (this.settled) {
			return;
		}

		this.#onAnswer?.(message);
		const response = this.#response;
		const waiting = this.#mode === 'waiting';
		this.#mode = 'done';
		if (waiting) {
			response.writeHead(status, {'content-type': 'application/json', 'content-length': Buffer.byteLength(raw)});
			response.end(raw);
		} else {
			writeEvent(response, raw);
			response.end();
		}

		this.#throttle();
	}

	/**
	See `Exchange.keepAlive`: headers for a slow answer, and comments that expose a dead peer.
	*/
	keepAlive(): void {
		if (this.settled || (this.#mode === 'waiting' && performance.now() - this.#started < YOUNG_MS)) {
			return;
		}

		this.#openSse();
		this.#response.write(': keep-alive\n\n');
	}

	#throttle(): void {
		if (this.#flow) {
			holdWhileFull(this.#response, this.#flow.hold, this.#flow.limits, this.#flow.onStall);
		}
	}

	#openSse(): void {
		if (this.#mode !== 'waiting') {
			return;
		}

		this.#mode = 'sse';
		this.#response.writeHead(200, SSE_HEADERS);
	}
}
