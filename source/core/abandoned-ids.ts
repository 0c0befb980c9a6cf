import type {JsonRpcId} from './jsonrpc.js';

/**
Enough for every request a child could plausibly answer late; a few tens of KiB at most.
*/
const CAPACITY = 1024;

/**
 Ids of requests mcpd gave up on (the client cancelled, the request timed
 out), so that a late answer to one is dropped quietly instead of logged as
 unknown. A child that honours a cancellation never answers at all, as the
 spec asks, so a plain Set grew by one id per cancel for the child's whole
 life, and a shared modern child may serve many clients for as long as they
 keep it busy. Only the newest ids are kept: a late answer to an older one
 is still dropped, only logged at debug.
 */
export class AbandonedIds {
	readonly #ids = new Set<JsonRpcId>();

	constructor(readonly capacity = CAPACITY) {}

	get size(): number {
		return this.#ids.size;
	}

	add(id: JsonRpcId): void {
		this.#ids.add(id);
		if (this.#ids.size > this.capacity) {
			this.#ids.delete(this.#ids.values().next().value!);
		}
	}

	/**
	True when `id` was abandoned; forgets it, since a child answers a request once.
	*/
	delete(id: JsonRpcId): boolean {
		return this.#ids.delete(id);
	}
}
