import {StreamableHTTPClientTransport} from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type {JSONRPCMessage} from '@modelcontextprotocol/sdk/types.js';

/**
 The SDK sends `notifications/cancelled` without letting the caller await it.
 This transport keeps notification POSTs in flight so a caller that is about
 to DELETE the session (or exit) can first make sure mcpd got the cancel.
 */
export class TrackedTransport extends StreamableHTTPClientTransport {
	readonly #notifications = new Set<Promise<void>>();

	override async send(message: JSONRPCMessage | JSONRPCMessage[], options?: Parameters<StreamableHTTPClientTransport['send']>[1]): Promise<void> {
		const sending = super.send(message, options);
		if (Array.isArray(message) || 'id' in message) {
			return sending;
		}

		const settled = sending.then(() => undefined).catch(() => undefined);
		this.#notifications.add(settled);
		void settled.then(() => this.#notifications.delete(settled));
		return sending;
	}

	/**
	Resolves once every notification sent so far got its HTTP answer, or after `maxMs`.
	*/
	async notificationsSent(maxMs: number): Promise<void> {
		if (this.#notifications.size === 0) {
			return;
		}

		let timer: NodeJS.Timeout | undefined;
		const limit = new Promise<void>(resolve => {
			timer = setTimeout(resolve, maxMs);
		});
		await Promise.race([Promise.all(this.#notifications), limit]);
		clearTimeout(timer);
	}
}
