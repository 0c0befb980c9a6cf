// A small MCP client for the page: the 2025-11-25 Streamable HTTP flow
// against mcpd's own endpoint, and only what a run_agent call needs.
// `initialize` (with the tab's keys as the server's header_env headers) makes
// a session, and so a child process of this tab's own; a tools/call carries a
// progressToken and is answered as an SSE stream of progress, log lines and
// finally the result; cancelling sends notifications/cancelled; DELETE ends
// the session. The keys go out once, with `initialize`, and nowhere else.

export const PROTOCOL_VERSION = '2025-11-25';

/**
Mcpd refused or failed a request (an HTTP error status), with its JSON-RPC error's code and data.
*/
export class HttpError extends Error {
	/**
	 @param {string} message
	 @param {{status: number, code?: number, data?: any, retryAfter?: string | null}} details
	 */
	constructor(message, details) {
		super(message);
		this.name = 'HttpError';
		this.status = details.status;
		this.code = details.code;
		this.data = details.data;
		this.retryAfter = details.retryAfter ?? undefined;
	}
}

/**
404 on a session: it expired, or its process exited (`data` then has the reason and stderr tail).
*/
export class SessionGone extends HttpError {
	name = 'SessionGone';
}

/**
The server answered the request with a JSON-RPC error.
*/
export class RpcError extends Error {
	/**
	@param {{code: number, message: string, data?: any}} error
	*/
	constructor(error) {
		super(error.message);
		this.name = 'RpcError';
		this.code = error.code;
		this.data = error.data;
	}
}

/**
The call was cancelled here; the server has been told.
*/
export class Cancelled extends Error {
	name = 'Cancelled';
}

/**
How long a cancel may take to reach mcpd before the page stops waiting for it.
*/
const CANCEL_SEND_MS = 2000;

export class McpSession {
	#url;
	#token;
	#keys;
	#clientInfo;
	/**
	@type {string | undefined}
	*/
	#id;
	#version = PROTOCOL_VERSION;
	#next = 1;
	/**
	A request after `initialize` was answered: a 404 from now on means the session expired, not that its child died at start.
	*/
	answered = false;

	/**
	 @param {{url: string, token?: string, keys?: Record<string, string>, clientInfo: {name: string, version: string}}} options
	 */
	constructor(options) {
		this.#url = options.url;
		this.#token = options.token;
		this.#keys = options.keys ?? {};
		this.#clientInfo = options.clientInfo;
	}

	get id() {
		return this.#id;
	}

	async open() {
		const headers = {'x-mcpd-tag': 'web', ...this.#keys};
		const {message, sessionId} = await this.#send({
			jsonrpc: '2.0',
			id: 0,
			method: 'initialize',
			params: {protocolVersion: PROTOCOL_VERSION, capabilities: {}, clientInfo: this.#clientInfo},
		}, {headers});
		if (message.error) {throw new RpcError(message.error);}
		if (sessionId === null) {throw new Error('mcpd started no session (no Mcp-Session-Id in its answer)');}
		this.#id = sessionId;
		this.#version = message.result?.protocolVersion ?? PROTOCOL_VERSION;
		await this.notify('notifications/initialized');
	}

	/**
	 @param {string} method
	 @param {object} [params]
	 */
	async notify(method, params) {
		await this.#send(params === undefined ? {jsonrpc: '2.0', method} : {jsonrpc: '2.0', method, params});
	}

	/**
	 @param {string} name
	 @param {object} args
	 @param {{signal?: AbortSignal, onProgress?: (params: any) => void, onLog?: (params: any) => void}} [options]
	 @returns {Promise<any>} the tool's result
	 */
	async callTool(name, args, options = {}) {
		const {signal, onProgress, onLog} = options;
		if (signal?.aborted) {throw new Cancelled(String(signal.reason ?? 'cancelled'));}
		const id = this.#next++;
		const progressToken = `web-${id}`;
		const stream = new AbortController();
		const onMessage = message => {
			if (stream.signal.aborted) {return;}
			if (message.method === 'notifications/progress' && message.params?.progressToken === progressToken) {onProgress?.(message.params);} else if (message.method === 'notifications/message') {onLog?.(message.params);}
		};

		let onAbort;
		const cancelled = new Promise((_resolve, reject) => {
			onAbort = async () => {
				const reason = String(signal.reason ?? 'cancelled by the user');
				const told = this.notify('notifications/cancelled', {requestId: id, reason}).catch(() => undefined);
				await Promise.race([told, new Promise(resolve => {
					setTimeout(resolve, CANCEL_SEND_MS);
				})]);
				stream.abort();
				reject(new Cancelled(reason));
			};
		});
		signal?.addEventListener('abort', onAbort, {once: true});
		// Once cancelled, mcpd ends the answer stream without an answer: that end is the cancel, not a failure.
		const call = this.#send({
			jsonrpc: '2.0', id, method: 'tools/call', params: {name, arguments: args, _meta: {progressToken}},
		}, {signal: stream.signal, onMessage})
			.catch(async error => (signal?.aborted ? cancelled : Promise.reject(error)));
		// Whichever loses the race must not surface as an unhandled rejection.
		call.catch(() => undefined);
		cancelled.catch(() => undefined);
		try {
			const {message} = await Promise.race([call, cancelled]);
			this.answered = true;
			if (message.error) {throw new RpcError(message.error);}
			return message.result;
		} finally {
			signal?.removeEventListener('abort', onAbort);
		}
	}

	/**
	 Ends the session: mcpd stops its process. `keepalive` lets the request
	 outlive the page (on unload).
	 @param {{keepalive?: boolean}} [options]
	 */
	async close(options = {}) {
		const id = this.#id;
		this.#id = undefined;
		if (id === undefined) {return;}
		// No body, so no content type: fastify refuses an empty JSON body.
		const {'content-type': _none, ...headers} = this.#headers({'mcp-session-id': id, 'mcp-protocol-version': this.#version});
		await fetch(this.#url, {method: 'DELETE', headers, keepalive: options.keepalive === true}).catch(() => undefined);
	}

	/**
	@param {Record<string, string>} [extra]
	*/
	#headers(extra = {}) {
		/**
		@type {Record<string, string>}
		*/
		const headers = {'content-type': 'application/json', accept: 'application/json, text/event-stream'};
		if (this.#token) {headers.authorization = `Bearer ${this.#token}`;}
		if (this.#id !== undefined) {
			headers['mcp-session-id'] = this.#id;
			headers['mcp-protocol-version'] = this.#version;
		}

		return {...headers, ...extra};
	}

	/**
	 POSTs one message. A request resolves with its answer (read from JSON or
	 from the SSE stream, passing what comes before it to `onMessage`); a
	 notification or response resolves once mcpd accepted it.
	 @param {any} message
	 @param {{headers?: Record<string, string>, signal?: AbortSignal, onMessage?: (message: any) => void}} [options]
	 @returns {Promise<{message: any, sessionId: string | null}>}
	 */
	async #send(message, options = {}) {
		const sessionful = this.#id !== undefined;
		const response = await fetch(this.#url, {
			method: 'POST', headers: this.#headers(options.headers), body: JSON.stringify(message), signal: options.signal,
		});
		if (!response.ok) {throw await httpError(response, sessionful);}
		const sessionId = response.headers.get('mcp-session-id');
		if (message.id === undefined) {
			await response.body?.cancel();
			return {message: undefined, sessionId};
		}

		const type = response.headers.get('content-type') ?? '';
		if (type.includes('application/json')) {return {message: await response.json(), sessionId};}
		if (!type.includes('text/event-stream') || !response.body) {throw new Error(`mcpd answered with ${type || 'no content type'}`);}
		for await (const data of events(response.body)) {
			let incoming;
			try {
				incoming = JSON.parse(data);
			} catch {
				continue;
			}

			if (incoming.id === message.id && incoming.method === undefined) {return {message: incoming, sessionId};}
			if (incoming.method !== undefined && incoming.id !== undefined) {this.#answerServer(incoming);} else {options.onMessage?.(incoming);}
		}

		throw new Error('the answer stream ended before the answer');
	}

	/**
	The page offers no client capabilities: a ping is answered, anything else refused.
	@param request
	*/
	#answerServer(request) {
		const answer = request.method === 'ping'
			? {jsonrpc: '2.0', id: request.id, result: {}}
			: {jsonrpc: '2.0', id: request.id, error: {code: -32_601, message: `the chat page does not handle ${request.method}`}};
		this.#send(answer).catch(() => undefined);
	}
}

/**
 @param {Response} response
 @param {boolean} sessionful the request named a session
 */
async function httpError(response, sessionful) {
	let error;
	try {
		error = (await response.json())?.error;
	} catch {}

	const message = typeof error?.message === 'string' ? error.message : `mcpd answered ${response.status} ${response.statusText}`;
	const details = {
		status: response.status, code: error?.code, data: error?.data, retryAfter: response.headers.get('retry-after'),
	};
	// A 404 to `initialize` is mcpd refusing (no such server), not a session that ended.
	return response.status === 404 && sessionful ? new SessionGone(message, details) : new HttpError(message, details);
}

/**
 The `data` of each server-sent event in `body`.
 @param {ReadableStream<Uint8Array>} body
 */
async function * events(body) {
	const reader = body.pipeThrough(new TextDecoderStream()).getReader();
	let buffer = '';
	/**
	@type {string[]}
	*/
	let data = [];
	try {
		for (;;) {
			const {value, done} = await reader.read();
			if (done) {return;}
			buffer += value;
			// A trailing \r may be the first half of \r\n: keep it for the next chunk.
			const lines = buffer.split(/\r\n|\n|\r(?!$)/);
			buffer = lines.pop() ?? '';
			for (const line of lines) {
				if (line === '') {
					if (data.length > 0) {yield data.join('\n');}
					data = [];
				} else if (line.startsWith('data:')) {
					data.push(line.slice(line.startsWith('data: ') ? 6 : 5));
				}
			}
		}
	} finally {
		// Stops the download when the answer came before the stream's end (or the call was cancelled).
		await reader.cancel().catch(() => undefined);
	}
}
