import type {Server, ServerOptions} from 'node:http';
import type {HttpConfig} from '../config/types.js';

/**
 Idle time after which the kernel probes a connection, so a peer that
 vanished without closing (a sleeping laptop, a dropped NAT entry) is found
 out and its socket, and whatever waits on it, released.
 */
const TCP_KEEPALIVE_MS = 60_000;

/**
One warning per this period while connections are being refused, not one per connection.
*/
const DROP_REPORT_MS = 60_000;

/**
 What Node's HTTP server takes only at creation: TCP keep-alive on every
 accepted socket, and how often the header and request timeouts are checked
 (Node's 30 s default would let a 30 s limit run to a minute).
 */
export function serverOptions(http: HttpConfig): ServerOptions {
	const timeouts = [http.headersTimeoutMs, http.requestTimeoutMs].filter(ms => ms > 0);
	return {
		keepAlive: true,
		keepAliveInitialDelay: TCP_KEEPALIVE_MS,
		connectionsCheckingInterval: Math.max(10, Math.min(1000, ...timeouts.map(ms => Math.floor(ms / 4)))),
	};
}

/**
 Limits on what clients can hold. The header and request timeouts run from
 a request's first byte until it is fully received, never over the answer,
 so long SSE answers and GET streams are not cut, and an idle keep-alive
 connection waits for its next request under the keep-alive timeout alone.
 Older Node versions also ran the header timer while a connection sat idle
 between requests, hence the old advice to keep it above the keep-alive
 timeout; test/http/connection-limits.test.ts shows an idle connection
 outliving it.
 */
export function applyLimits(server: Server, http: HttpConfig, warn: (message: string, fields: Record<string, unknown>) => void): void {
	server.headersTimeout = http.headersTimeoutMs;
	server.requestTimeout = http.requestTimeoutMs;
	if (http.maxConnections === 0) {
		return;
	}

	server.maxConnections = http.maxConnections;
	let refused = 0;
	let reportedAt = -Infinity;
	server.on('drop', () => {
		refused++;
		const now = Date.now();
		if (now - reportedAt < DROP_REPORT_MS) {
			return;
		}

		reportedAt = now;
		warn('connections refused: http.max_connections reached', {maxConnections: http.maxConnections, refused});
		refused = 0;
	});
}
