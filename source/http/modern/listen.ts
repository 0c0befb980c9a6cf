import type {ServerResponse} from 'node:http';
import {OpenError} from '../../core/errors.js';
import {ErrorCode, errorResponse, type JsonRpcId, type JsonRpcMessage} from '../../core/jsonrpc.js';
import type {IdentityRef, ListenFilter, ModernPool} from '../../core/modern/pool.js';
import {META} from '../../core/modern/protocol.js';
import {dropWhenOverfull, type FlowLimits} from '../backpressure.js';
import type {KeepAlive} from '../keep-alive.js';
import {refusalOf} from '../refusal.js';
import {isOpen, SSE_HEADERS, writeEvent} from '../sse.js';

/**
 `subscriptions/listen`: a long-lived SSE answer carrying the change
 notifications the client opted into, each tagged with the subscription id
 (the request's id). Ends with a result when mcpd ends it, without one when
 the child crashed, so the client knows to listen again.
 */
export type ListenContext = {
	pool: ModernPool;
	keepAlive: KeepAlive;
	limits: FlowLimits;
	log: (message: string, buffered: number) => void;
};

export async function openListen({pool, keepAlive, limits, log}: ListenContext, request: {message: JsonRpcMessage & {id: JsonRpcId}; ref: IdentityRef}, response: ServerResponse): Promise<void> {
	const {message, ref} = request;
	const subscriptionId = message.id;
	const filter = (message.params?.notifications ?? {}) as ListenFilter;
	const tag = {[META.subscriptionId]: subscriptionId};
	const stream = {
		keepAlive() {
			if (isOpen(response)) {
				response.write(': keep-alive\n\n');
			}
		},
	};
	let stop: (() => void) | undefined;
	let closed = false;
	response.once('close', () => {
		closed = true;
		keepAlive.delete(stream);
		stop?.();
	});

	let acknowledged: ListenFilter;
	try {
		({acknowledged, stop} = await pool.listen(ref, filter, {
			notify(notification) {
				if (!isOpen(response)) {
					return;
				}

				const params = {...notification.params, _meta: {...notification.params?._meta, ...tag}};
				writeEvent(response, JSON.stringify({jsonrpc: '2.0', method: notification.method, params}));
				dropWhenOverfull(response, limits, buffered => {
					log('listen stream closed: the client is not reading it', buffered);
				});
			},
			ended(graceful) {
				if (!isOpen(response)) {
					return;
				}

				if (graceful) {
					writeEvent(response, JSON.stringify({jsonrpc: '2.0', id: subscriptionId, result: {resultType: 'complete', _meta: tag}}));
				}

				response.end();
			},
		}));
	} catch (error) {
		if (!isOpen(response)) {
			return;
		}

		const refusal = refusalOf(error) ?? {
			status: 502, code: ErrorCode.serverExited, message: `MCP server "${ref.server.name}" failed to start: ${(error as Error).message}`, headers: {},
		};
		const body = errorResponse(subscriptionId, refusal.code, refusal.message, refusal.data);
		response.writeHead(refusal.status, {'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...refusal.headers}).end(body);
		return;
	}

	if (closed) {
		stop();
		return;
	}

	response.writeHead(200, SSE_HEADERS);
	writeEvent(response, JSON.stringify({jsonrpc: '2.0', method: 'notifications/subscriptions/acknowledged', params: {_meta: tag, notifications: acknowledged}}));
	keepAlive.add(stream);
}
