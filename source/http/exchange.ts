import type {ServerResponse} from 'node:http';
import {ErrorCode, type JsonRpcId, type JsonRpcMessage} from '../core/jsonrpc.js';
import {YOUNG_MS} from './keep-alive.js';
import {isOpen, SSE_HEADERS, writeEvent} from './sse.js';

/**
 How long an `initialize` answer holds its headers back from keep-alive, so
 that a child that fails to start (start_timeout, an exit) still gets its
 502 or 504 rather than an error event in a 200 stream; below the 300 s
 after which fetch gives up waiting for headers.
 */
const INITIALIZE_HOLD_MS = 240_000;

/**
 The HTTP answer to one POST that carried requests. The choice between a plain
 JSON body and an SSE stream is made late: if the first thing the child sends
 for this POST is the only response owed, it goes out as JSON (the cheapest
 answer); anything sent before it (progress, logs, server requests) switches
 the POST to SSE.
 */
export class Exchange {
	readonly #response: ServerResponse;
	readonly #owed: Set<JsonRpcId>;
	readonly #sessionId: string | undefined;
	#mode: 'waiting' | 'sse' | 'done' = 'waiting';
	readonly #started = performance.now();

	/**
	`sessionId`: this is the answer to `initialize`, which names the new session.
	*/
	constructor(response: ServerResponse, ids: JsonRpcId[], options: {sessionId?: string} = {}) {
		this.#response = response;
		this.#owed = new Set(ids);
		this.#sessionId = options.sessionId;
	}

	get response(): ServerResponse {
		return this.#response;
	}

	get open(): boolean {
		return this.#mode !== 'done' && isOpen(this.#response);
	}

	/**
	`answers` is the id this message is the response to, if it is one. Returns false if the client is gone.
	*/
	send(raw: string, message: JsonRpcMessage, answers: JsonRpcId | undefined): boolean {
		if (!this.open) {
			return false;
		}

		if (answers !== undefined) {
			this.#owed.delete(answers);
		}

		const last = this.#owed.size === 0;
		const response = this.#response;
		if (last && answers !== undefined && this.#mode === 'waiting') {
			this.#mode = 'done';
			response.writeHead(this.#sessionId === undefined ? 200 : initializeStatus(message), {
				'content-type': 'application/json',
				'content-length': Buffer.byteLength(raw),
				// A failed initialize creates no session, so it names none.
				...(this.#sessionId !== undefined && message.error === undefined && {'mcp-session-id': this.#sessionId}),
			});
			response.end(raw);
			return true;
		}

		this.#openSse();
		writeEvent(response, raw);
		if (last) {
			this.#mode = 'done';
			response.end();
		}

		return true;
	}

	/**
	 Called every keep-alive period. A slow answer switches to SSE so the
	 client gets headers (fetch gives up on headers after 300 s) and the
	 connection carries comments that expose a dead peer.
	 */
	keepAlive(): void {
		if (!this.open) {
			return;
		}

		const waited = performance.now() - this.#started;
		if (this.#mode === 'waiting' && (waited < YOUNG_MS || (this.#sessionId !== undefined && waited < INITIALIZE_HOLD_MS))) {
			return;
		}

		this.#openSse();
		this.#response.write(': keep-alive\n\n');
	}

	#openSse(): void {
		if (this.#mode !== 'waiting') {
			return;
		}

		this.#mode = 'sse';
		this.#response.writeHead(200, this.#sessionId === undefined ? SSE_HEADERS : {...SSE_HEADERS, 'mcp-session-id': this.#sessionId});
	}

	/**
	A cancelled request owes no answer; the POST ends once nothing else is owed.
	*/
	forget(id: JsonRpcId): void {
		this.#owed.delete(id);
		if (this.#owed.size === 0) {
			this.end();
		}
	}

	/**
	Ends the answer early (session closed); whatever was owed was already sent as errors.
	*/
	end(): void {
		if (this.#mode === 'done') {
			return;
		}

		this.#mode = 'done';
		if (!isOpen(this.#response)) {
			return;
		}

		if (this.#response.headersSent) {
			this.#response.end();
		} else {
			this.#response.writeHead(204).end();
		}
	}
}

/**
 A child that died before answering initialize is a gateway failure (502),
 one that let start_timeout pass a gateway timeout (504); neither is the
 client's error.
 */
function initializeStatus(message: JsonRpcMessage): number {
	switch (message.error?.code) {
		case ErrorCode.serverExited: {
			return 502;
		}

		case ErrorCode.requestTimeout: {
			return 504;
		}

		default: {
			return 200;
		}
	}
}
