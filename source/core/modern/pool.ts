import type {ServerConfig} from '../../config/types.js';
import {OpenError, StartDelay} from '../errors.js';
import type {JsonRpcMessage} from '../jsonrpc.js';
import {inputKeyOf} from './call.js';
import {INPUT_CAPABLE_METHODS, INPUT_METHODS, type ClientContext} from './protocol.js';
import type {SharedChild} from './shared-child.js';

/**
 Who a modern request acts for: its server plus the values of that server's
 `header_env` headers, so each user's key reaches only their own children.
 */
export type IdentityRef = {
	server: ServerConfig;
	/**
	Server name and a digest of the header values: never the values.
	*/
	key: string;
	/**
	A short form of the digest, for people.
	*/
	label: string;
	/**
	The child's env from the headers; secret, never logged.
	*/
	env: Record<string, string> | undefined;
};

/**
The `subscriptions/listen` filter, as the revision defines it.
*/
export type ListenFilter = {
	toolsListChanged?: boolean;
	promptsListChanged?: boolean;
	resourcesListChanged?: boolean;
	resourceSubscriptions?: string[];
};

export type ListenSink = {
	notify(message: JsonRpcMessage): void;
	/**
	The child ended; `graceful` when mcpd ended it (shutdown, idle, kill), not a crash.
	*/
	ended(graceful: boolean): void;
};

export type Lease = {
	child: SharedChild;
	/**
	The call runs alone among input-capable calls on its child.
	*/
	exclusive: boolean;
};

type Listener = {
	filter: ListenFilter;
	sink: ListenSink;
	child: SharedChild;
};

type Identity = {
	ref: IdentityRef;
	children: SharedChild[];
	/**
	Leases that found no usable child, oldest first.
	*/
	waiters: Array<{kind: Kind; method: string; grant: (child: SharedChild) => void; refuse: (error: Error) => void}>;
	listeners: Set<Listener>;
	/**
	Live `resources/subscribe` per child and URI, with how many listeners want it.
	*/
	subscriptions: Map<string, number>;
	/**
	A drain put off while the server backs off after failed starts.
	*/
	retry: NodeJS.Timeout | undefined;
};

type Kind = 'exclusive' | 'input' | 'plain';

export type PoolOptions = {
	/**
	 Spawns and registers a child for the identity: throws `OpenError` over
	 the limits or in quarantine, `StartDelay` while the server backs off.
	 */
	spawn(ref: IdentityRef, hooks: {learned(key: string): void; changed(message: JsonRpcMessage): void; released(): void}): SharedChild;
	/**
	Waits, at most `ms`, for the server's back-off to change.
	*/
	wait(server: string, ms: number): Promise<void>;
};

/**
 Modern children by identity. A request leases the least busy child of its
 identity, spawning up to the server's `modern_children`. Calls of a tool
 (or prompt, or resource) that has been seen asking for input, from a client
 able to answer, get a child where no other input-capable call runs: that is
 what lets the child's input request be tied to its call without a guess.
 */
export class ModernPool {
	readonly #identities = new Map<string, Identity>();
	/**
	Per server: `method name` of calls seen asking for input.
	*/
	readonly #learned = new Map<string, Set<string>>();
	readonly #children = new Map<string, SharedChild>();
	readonly #options: PoolOptions;

	constructor(options: PoolOptions) {
		this.#options = options;
	}

	/**
	A child for this request, initialized; waits when every allowed child is busy with input.
	*/
	async lease(ref: IdentityRef, method: string, name: string, context: ClientContext): Promise<Lease> {
		const kind: Kind = INPUT_CAPABLE_METHODS.has(method)
			? (this.isLearned(ref.server.name, method, name) && answersInput(context) ? 'exclusive' : 'input')
			: 'plain';
		let child: SharedChild;
		for (;;) {
			// Looked up on every attempt: an identity left with nothing while this lease waited out the
			// back-off is forgotten, and a child put on the old record could not be found by the next request.
			const identity = this.#identity(ref);
			try {
				// eslint-disable-next-line no-await-in-loop -- one attempt after another, as the back-off allows
				child = await new Promise<SharedChild>((resolve, reject) => {
					const picked = this.#pick(identity, kind);
					if (picked) {
						picked.reserve(method, kind === 'exclusive');
						resolve(picked);
					} else {
						identity.waiters.push({
							kind, method, grant: resolve, refuse: reject,
						});
					}
				});
				break;
			} catch (error) {
				if (!(error instanceof StartDelay)) {
					this.#forgetIfUnused(identity);
					throw error;
				}

				// eslint-disable-next-line no-await-in-loop
				await this.#options.wait(ref.server.name, error.waitMs);
			}
		}

		try {
			await child.ready;
		} catch (error) {
			child.unreserve(method, kind === 'exclusive');
			throw error;
		}

		return {child, exclusive: kind === 'exclusive'};
	}

	/**
	Identities held (with a child, a waiting lease or a listener): each must go with its last one, which the churn tests check.
	*/
	get identities(): number {
		return this.#identities.size;
	}

	isLearned(server: string, method: string, name: string): boolean {
		return this.#learned.get(server)?.has(inputKeyOf(method, name)) ?? false;
	}

	/**
	The child a `requestState` names, if it still runs for that identity.
	*/
	child(id: string, identityKey: string): SharedChild | undefined {
		const child = this.#children.get(id);
		return child?.identityKey === identityKey ? child : undefined;
	}

	/**
	Opens a change-notification feed; resolves with the part of `filter` the child can honour.
	*/
	async listen(ref: IdentityRef, filter: ListenFilter, sink: ListenSink): Promise<{acknowledged: ListenFilter; stop(): void}> {
		// One child per identity carries its listeners, so subscriptions are made once.
		let identity: Identity;
		let child: SharedChild | undefined;
		do {
			// Looked up on every attempt, as in `lease`.
			identity = this.#identity(ref);
			child = identity.children.find(candidate => candidate.state === 'starting' || candidate.state === 'live');
			try {
				child ??= this.#spawn(identity);
			} catch (error) {
				if (!(error instanceof StartDelay)) {
					this.#forgetIfUnused(identity);
					throw error;
				}

				// eslint-disable-next-line no-await-in-loop -- waiting out the back-off
				await this.#options.wait(ref.server.name, error.waitMs);
			}
		} while (!child);

		child.streamOpened();
		let stopped = false;
		let listener: Listener | undefined;
		const stop = () => {
			if (stopped) {
				return;
			}

			stopped = true;
			child.streamClosed();
			if (!listener) {
				return;
			}

			identity.listeners.delete(listener);
			for (const uri of listener.filter.resourceSubscriptions ?? []) {
				const key = `${child.id} ${uri}`;
				const count = (identity.subscriptions.get(key) ?? 1) - 1;
				if (count > 0) {
					identity.subscriptions.set(key, count);
				} else {
					identity.subscriptions.delete(key);
					if (child.state === 'live') {
						void child.request('resources/unsubscribe', {uri});
					}
				}
			}
		};

		try {
			const profile = await child.ready;
			const capabilities = profile.capabilities as Record<string, {listChanged?: boolean; subscribe?: boolean} | undefined>;
			const acknowledged: ListenFilter = {};
			if (filter.toolsListChanged === true && capabilities.tools?.listChanged) {
				acknowledged.toolsListChanged = true;
			}

			if (filter.promptsListChanged === true && capabilities.prompts?.listChanged) {
				acknowledged.promptsListChanged = true;
			}

			if (filter.resourcesListChanged === true && capabilities.resources?.listChanged) {
				acknowledged.resourcesListChanged = true;
			}

			if (Array.isArray(filter.resourceSubscriptions) && filter.resourceSubscriptions.length > 0 && capabilities.resources?.subscribe) {
				const uris = [...new Set(filter.resourceSubscriptions.filter(uri => typeof uri === 'string'))];
				const accepted: string[] = [];
				for (const uri of uris) {
					const key = `${child.id} ${uri}`;
					const count = identity.subscriptions.get(key) ?? 0;
					// eslint-disable-next-line no-await-in-loop -- one at a time keeps the child's subscription order
					if (count === 0 && (await child.request('resources/subscribe', {uri})).error !== undefined) {
						continue;
					}

					identity.subscriptions.set(key, count + 1);
					accepted.push(uri);
				}

				acknowledged.resourceSubscriptions = accepted;
			}

			listener = {filter: acknowledged, sink, child};
			if (!stopped) {
				identity.listeners.add(listener);
			}

			return {acknowledged, stop};
		} catch (error) {
			stop();
			throw error;
		}
	}

	#identity(ref: IdentityRef): Identity {
		let identity = this.#identities.get(ref.key);
		if (!identity) {
			identity = {
				ref, children: [], waiters: [], listeners: new Set(), subscriptions: new Map(), retry: undefined,
			};
			this.#identities.set(ref.key, identity);
		}

		return identity;
	}

	/**
	The child this lease may use now; spawns when that spreads load within `modern_children`; undefined: wait.
	*/
	#pick(identity: Identity, kind: Kind): SharedChild | undefined {
		const live = identity.children.filter(child => child.state === 'starting' || child.state === 'live');
		const room = live.length < identity.ref.server.modernChildren;
		let best: SharedChild | undefined;
		if (kind === 'exclusive') {
			best = live.find(child => child.inputCapable === 0 && !child.exclusiveBusy);
			return best ?? (room ? this.#spawn(identity) : undefined);
		}

		// An input-capable call prefers a child with no other such call, so that its input, if it asks, can be tied to it.
		const load = (child: SharedChild) => kind === 'input' ? child.inputCapable * 1e6 + child.inFlight : child.inFlight;
		for (const child of live) {
			if (kind === 'input' && child.exclusiveBusy) {
				continue;
			}

			if (!best || load(child) < load(best)) {
				best = child;
			}
		}

		if (best && (load(best) === 0 || !room)) {
			return best;
		}

		return room ? this.#spawn(identity) : best;
	}

	#spawn(identity: Identity): SharedChild {
		const {ref} = identity;
		let child: SharedChild;
		try {
			child = this.#options.spawn(ref, {
				learned: key => {
					let set = this.#learned.get(ref.server.name);
					if (!set) {
						set = new Set();
						this.#learned.set(ref.server.name, set);
					}

					set.add(key);
				},
				changed: message => {
					this.#changed(identity, child, message);
				},
				released: () => {
					this.#drain(identity);
				},
			});
		} catch (error) {
			// Refused (over max_sessions or max_total, shutting down): no child will end to drop an identity
			// that never had one, so each refused user's would stay for good, header values and all.
			this.#forgetIfUnused(identity);
			throw error;
		}

		identity.children.push(child);
		this.#children.set(child.id, child);
		void child.done.then(() => {
			identity.children = identity.children.filter(other => other !== child);
			this.#children.delete(child.id);
			for (const listener of identity.listeners) {
				if (listener.child !== child) {
					continue;
				}

				identity.listeners.delete(listener);
				listener.sink.ended(child.state === 'closed');
			}

			for (const key of identity.subscriptions.keys()) {
				if (key.startsWith(`${child.id} `)) {
					identity.subscriptions.delete(key);
				}
			}

			this.#drain(identity);
			this.#forgetIfUnused(identity);
		});
		return child;
	}

	/**
	An identity with nothing left to track is dropped, so refused requests leave nothing behind.
	*/
	#forgetIfUnused(identity: Identity): void {
		if (identity.children.length > 0 || identity.waiters.length > 0 || identity.listeners.size > 0 || identity.retry !== undefined) {
			return;
		}

		if (this.#identities.get(identity.ref.key) === identity) {
			this.#identities.delete(identity.ref.key);
		}
	}

	/**
	Grants waiting leases in order, as far as children free up.
	*/
	#drain(identity: Identity): void {
		while (identity.waiters.length > 0) {
			const waiter = identity.waiters[0];
			let picked: SharedChild | undefined;
			try {
				picked = this.#pick(identity, waiter.kind);
			} catch (error) {
				if (error instanceof StartDelay) {
					// Nothing else may wake these waiters: try again once the back-off allows.
					identity.retry ??= setTimeout(() => {
						identity.retry = undefined;
						this.#drain(identity);
						this.#forgetIfUnused(identity);
					}, error.waitMs);
					identity.retry.unref();
				} else if (error instanceof OpenError && error.code === 'quarantined') {
					for (const refused of identity.waiters.splice(0)) {
						refused.refuse(error);
					}
				}

				// Otherwise over the limits: whoever waits keeps waiting for a child to free up.
				return;
			}

			if (!picked) {
				return;
			}

			identity.waiters.shift();
			picked.reserve(waiter.method, waiter.kind === 'exclusive');
			waiter.grant(picked);
		}
	}

	#changed(identity: Identity, child: SharedChild, message: JsonRpcMessage): void {
		const {method} = message;
		for (const listener of identity.listeners) {
			if (listener.child !== child) {
				continue;
			}

			const {filter} = listener;
			const wanted = method === 'notifications/tools/list_changed'
				? filter.toolsListChanged === true
				: method === 'notifications/prompts/list_changed'
					? filter.promptsListChanged === true
					: method === 'notifications/resources/list_changed'
						? filter.resourcesListChanged === true
						: method === 'notifications/resources/updated' && (filter.resourceSubscriptions ?? []).includes(message.params?.uri as string);
			if (wanted) {
				listener.sink.notify(message);
			}
		}
	}
}

/**
The client declared at least one capability mcpd can turn a child's request into.
*/
function answersInput(context: ClientContext): boolean {
	for (const capability of INPUT_METHODS.values()) {
		const declared = context.capabilities[capability];
		if (declared !== undefined && declared !== null && typeof declared === 'object') {
			return true;
		}
	}

	return false;
}
