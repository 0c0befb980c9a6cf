/**
 Raw Streamable HTTP for load and churn tests: node:http on a keep-alive
 agent the test owns, so its sockets (and their file descriptors) are the
 test's to count and to close, unlike fetch's process-wide pool.
 */
import http from 'node:http';
import type {JsonRpcId, JsonRpcMessage} from '../../source/core/jsonrpc.js';

export const ACCEPT = 'application/json, text/event-stream';
export const LEGACY_VERSION = '2025-11-25';
export const MODERN_VERSION = '2026-07-28';

export type Answer = {
	status: number;
	headers: http.IncomingHttpHeaders;
	/**
	`application/json` or `text/event-stream`, without parameters.
	*/
	type: string;
	text: string;
	/**
	Every JSON-RPC message of the body: one for JSON, each event's data for SSE.
	*/
	messages: JsonRpcMessage[];
};

/**
 Only a hang detector. On a starved CPU (2 cores, other test files beside)
 mcpd's event loop lagged 100 ms a turn and took in some 7 new connections a
 second, so a burst of them (a client opening 200 sockets at once) waited up
 to 30 s in the listen queue before mcpd read a byte.
 */
export const TIMEOUT_MS = 120_000;

export type Exchange = {
	method?: string;
	headers?: Record<string, string>;
	body?: string;
	timeoutMs?: number;
};

/**
One HTTP request; resolves with the whole body once it has ended.
*/
export async function send(agent: http.Agent, url: URL, {method = 'POST', headers = {}, body, timeoutMs = TIMEOUT_MS}: Exchange): Promise<Answer> {
	return new Promise((resolve, reject) => {
		const request = http.request(url, {
			agent,
			method,
			headers: body === undefined
				? headers
				: {
					'content-type': 'application/json', accept: ACCEPT, ...headers, 'content-length': Buffer.byteLength(body),
				},
			timeout: timeoutMs,
		}, response => {
			const chunks: Buffer[] = [];
			response.on('data', (chunk: Buffer) => chunks.push(chunk));
			response.on('error', reject);
			response.on('end', () => {
				const text = Buffer.concat(chunks).toString('utf8');
				const type = (response.headers['content-type'] ?? '').split(';', 1)[0].trim();
				try {
					resolve({
						status: response.statusCode!, headers: response.headers, type, text, messages: parse(type, text),
					});
				} catch (error) {
					reject(new Error(`unparsable ${type} body (${response.statusCode}): ${text.slice(0, 200)}`, {cause: error}));
				}
			});
		});
		request.on('timeout', () => request.destroy(new Error(`${method} ${url.pathname}: no answer within ${timeoutMs} ms`)));
		request.on('error', reject);
		request.end(body);
	});
}

function parse(type: string, text: string): JsonRpcMessage[] {
	if (type === 'application/json') {
		return text === '' ? [] : [JSON.parse(text) as JsonRpcMessage];
	}

	if (type !== 'text/event-stream') {
		return [];
	}

	const messages: JsonRpcMessage[] = [];
	for (const event of text.split(/\r?\n\r?\n/)) {
		const data = event.split(/\r?\n/).filter(line => line.startsWith('data:')).map(line => line.slice(line.startsWith('data: ') ? 6 : 5));
		if (data.length > 0) {
			messages.push(JSON.parse(data.join('\n')) as JsonRpcMessage);
		}
	}

	return messages;
}

/**
The response to request `id` among an answer's messages, if any.
*/
export function responseTo(answer: Answer, id: JsonRpcId): JsonRpcMessage | undefined {
	return answer.messages.find(message => message.method === undefined && message.id === id);
}

/**
 What is wrong with a `tools/call` answer, or undefined when it is the
 response to `id` and its first text is exactly `expected` (or passes it).
 */
export function callProblem(answer: Answer, id: JsonRpcId, expected: string | ((text: string) => string | undefined)): string | undefined {
	if (answer.status !== 200) {
		return `HTTP ${answer.status}: ${answer.text.slice(0, 200)}`;
	}

	const message = responseTo(answer, id);
	if (!message) {
		const ids = answer.messages.map(other => JSON.stringify(other.id)).join(', ');
		return `no response to id ${JSON.stringify(id)} (${answer.type}; ids seen: ${ids || 'none'})`;
	}

	if (message.error !== undefined) {
		return `error ${JSON.stringify(message.error).slice(0, 200)}`;
	}

	const result = message.result as {content?: Array<{text?: unknown}>; isError?: boolean} | undefined;
	const text = result?.content?.[0]?.text;
	if (typeof text !== 'string') {
		return `no text in ${JSON.stringify(result).slice(0, 200)}`;
	}

	if (result?.isError === true) {
		return `tool error: ${text.slice(0, 200)}`;
	}

	if (typeof expected === 'function') {
		return expected(text);
	}

	return text === expected ? undefined : `expected ${describe(expected)}, got ${describe(text)}`;
}

/**
A long string named by its length and ends, so a mismatch message stays short.
*/
export function describe(text: string): string {
	return text.length <= 60 ? JSON.stringify(text) : `${text.length} chars ${JSON.stringify(text.slice(0, 24))}…${JSON.stringify(text.slice(-24))}`;
}

export const toolCall = (id: JsonRpcId, name: string, args: Record<string, unknown>, meta?: Record<string, unknown>): string =>
	JSON.stringify({
		jsonrpc: '2.0', id, method: 'tools/call', params: {name, arguments: args, ...(meta !== undefined && {_meta: meta})},
	});

/**
A 2025-era session over raw HTTP: `initialize`, `notifications/initialized`, then its headers for every later request.
*/
export async function openSession(agent: http.Agent, url: URL, clientName: string): Promise<{id: string; headers: Record<string, string>}> {
	const init = await send(agent, url, {
		body: JSON.stringify({
			jsonrpc: '2.0', id: 0, method: 'initialize', params: {protocolVersion: LEGACY_VERSION, capabilities: {}, clientInfo: {name: clientName, version: '1'}},
		}),
	});
	const id = init.headers['mcp-session-id'];
	if (init.status !== 200 || typeof id !== 'string' || responseTo(init, 0)?.result === undefined) {
		throw new Error(`initialize: HTTP ${init.status} ${init.text.slice(0, 200)}`);
	}

	const headers = {'mcp-session-id': id, 'mcp-protocol-version': LEGACY_VERSION};
	const note = await send(agent, url, {headers, body: '{"jsonrpc":"2.0","method":"notifications/initialized"}'});
	if (note.status !== 202) {
		throw new Error(`notifications/initialized: HTTP ${note.status} ${note.text.slice(0, 200)}`);
	}

	return {id, headers};
}

/**
DELETE, which mcpd answers once the session's child is reaped.
*/
export async function closeSession(agent: http.Agent, url: URL, headers: Record<string, string>): Promise<void> {
	const answer = await send(agent, url, {method: 'DELETE', headers});
	if (answer.status !== 200) {
		throw new Error(`DELETE: HTTP ${answer.status} ${answer.text.slice(0, 200)}`);
	}
}

/**
The headers and `_meta` of a 2026-07-28 `tools/call`, for the identity named by `headers`.
*/
export function modernCall(name: string, headers: Record<string, string> = {}): {headers: Record<string, string>; meta: Record<string, unknown>} {
	return {
		headers: {
			'mcp-protocol-version': MODERN_VERSION, 'mcp-method': 'tools/call', 'mcp-name': name, ...headers,
		},
		meta: {
			'io.modelcontextprotocol/protocolVersion': MODERN_VERSION,
			'io.modelcontextprotocol/clientCapabilities': {},
			'io.modelcontextprotocol/clientInfo': {name: 'raw-http', version: '1'},
		},
	};
}

/**
Runs `task` for 0…count-1, at most `parallel` at a time.
*/
export async function pool(count: number, parallel: number, task: (index: number) => Promise<void>): Promise<void> {
	let next = 0;
	await Promise.all(Array.from({length: Math.min(parallel, count)}, async () => {
		while (next < count) {
			await task(next++);
		}
	}));
}
