import {AbandonedIds} from '../abandoned-ids.js';
import {ChildUnit, type ChildUnitOptions} from '../child-unit.js';
import {StartError} from '../errors.js';
import type {RequestOutcome} from '../events.js';
import {ErrorCode, errorResponse, type JsonRpcId, type JsonRpcMessage} from '../jsonrpc.js';
import {PendingTable} from '../pending.js';
import type {ChildExit} from '../process/child.js';
import {CRASH_TAIL_LINES} from '../process/exit.js';
import {inputKeyOf, type Call, type CallSink, type InputAsk} from './call.js';
import {shapeError, shapeResult, type ChildProfile} from './shape.js';
import {INPUT_CAPABLE_METHODS, INPUT_METHODS, levelIndex, META, type ClientContext} from './protocol.js';
import type {HeldState, RequestStateCodec} from './request-state.js';

/**
Child requests arriving this close together go to the client as one round.
*/
const SETTLE_MS = 15;
/**
The revision mcpd offers a child; a child that speaks an older one says so and mcpd follows.
*/
const CHILD_PROTOCOL = '2025-11-25';
/**
What mcpd can translate into MRTR input requests.
*/
const CHILD_CAPABILITIES = {elicitation: {}, sampling: {}, roots: {}};
const MAX_CLIENT_NAMES = 3;

export type SharedChildHooks = {
	/**
	This server's `method name` asked for client input: later calls of it get a child to themselves.
	*/
	learned(key: string): void;
	/**
	A change notification (list_changed, resources/updated) for the identity's listeners.
	*/
	changed(message: JsonRpcMessage): void;
	/**
	A call ended or left the child: queued calls of the identity may go now.
	*/
	released(): void;
};

export type SharedChildOptions = {
	/**
	The identity's full key, which a `requestState` must name.
	*/
	identityKey: string;
	/**
	A short, non-secret label of the identity for people.
	*/
	identityLabel: string;
	codec: RequestStateCodec;
	version: string;
	hooks: SharedChildHooks;
} & Omit<ChildUnitOptions, 'era' | 'identity' | 'tag'>;

export type ResumeResult = {ok: true} | {ok: false; message: string};

/**
What the HTTP side keeps of a call: closing its stream cancels it.
*/
export type CallHandle = {
	cancel(): void;
};

/**
 A child that mcpd has initialized itself and that serves the modern
 (2026-07-28) requests of one identity. Several clients share it, so request
 ids and progress tokens are rewritten on the way in and restored on the way
 out, and the child's requests for client input become `input_required`
 rounds (MRTR) of the one call they can be tied to.
 */
export class SharedChild extends ChildUnit {
	readonly identityKey: string;
	readonly ready: Promise<ChildProfile>;
	profile: ChildProfile | undefined;

	readonly #codec: RequestStateCodec;
	readonly #hooks: SharedChildHooks;
	readonly #inputTimeoutMs: number;
	readonly #calls: PendingTable<Call>;
	/**
	Calls whose child answer came while their client held an input round.
	*/
	readonly #parked = new Map<number, Call>();
	/**
	Mcpd's own requests (initialize, resources/subscribe), by id.
	*/
	readonly #internal = new Map<number, (message: JsonRpcMessage) => void>();
	/**
	Calls given up on: the child's late answers are dropped quietly.
	*/
	readonly #abandoned = new AbandonedIds();
	readonly #clientNames = new Set<string>();
	#nextId = 0;
	#exclusive = 0;
	/**
	Leases granted and not yet turned into calls: they count as load, so two leases never pick the same free slot.
	*/
	#reserved = 0;
	#reservedInput = 0;
	#unattributed = 0;

	constructor(options: SharedChildOptions) {
		super({...options, era: 'modern', identity: options.identityLabel});
		this.identityKey = options.identityKey;
		this.#codec = options.codec;
		this.#hooks = options.hooks;
		this.#inputTimeoutMs = options.server.inputTimeoutMs;
		this.#calls = new PendingTable(options.server, call => {
			this.#onTimeout(call);
		});
		this.ready = this.#initialize(options.version);
		// A failed start is reported to whoever leased the child; nobody else awaits it.
		this.ready.catch(() => {});
	}

	get inFlight(): number {
		return this.#calls.size + this.#parked.size + this.#reserved;
	}

	/**
	Listen streams and input rounds held by clients: while any is open the child is not idle.
	*/
	override get streams(): number {
		let held = 0;
		for (const call of this.#calls.values()) {
			if (call.sink === undefined) {
				held++;
			}
		}

		return this.openStreams + held;
	}

	/**
	Calls that may ask for input, in flight or held.
	*/
	get inputCapable(): number {
		let count = this.#parked.size + this.#reservedInput;
		for (const call of this.#calls.values()) {
			if (INPUT_CAPABLE_METHODS.has(call.method)) {
				count++;
			}
		}

		return count;
	}

	/**
	A call known to ask for input runs here: no other input-capable call may join it.
	*/
	get exclusiveBusy(): boolean {
		return this.#exclusive > 0;
	}

	get unattributed(): number {
		return this.#unattributed;
	}

	/**
	Holds a place for a call about to be made (see `#reserved`); `exclusive` keeps other input-capable calls away at once.
	*/
	reserve(method: string, exclusive: boolean): void {
		this.#reserved++;
		if (INPUT_CAPABLE_METHODS.has(method)) {
			this.#reservedInput++;
		}

		if (exclusive) {
			this.#exclusive++;
		}
	}

	/**
	A reservation that will not become a call (the child failed to start, the client left).
	*/
	unreserve(method: string, exclusive: boolean): void {
		this.#reserved--;
		if (INPUT_CAPABLE_METHODS.has(method)) {
			this.#reservedInput--;
		}

		if (exclusive) {
			this.#exclusive--;
		}

		this.#hooks.released();
	}

	/**
	Sends one client request to the child, on a reservation; its answer and notifications go to `sink`.
	*/
	call(message: JsonRpcMessage, sink: CallSink, context: ClientContext, options: {exclusive: boolean; answers?: Record<string, unknown>}): CallHandle {
		this.#reserved--;
		if (INPUT_CAPABLE_METHODS.has(message.method!)) {
			this.#reservedInput--;
		}

		const now = Date.now();
		const id = ++this.#nextId;
		const params = message.params ?? {};
		const clientToken = params._meta?.progressToken;
		const name = typeof params.name === 'string' ? params.name : (typeof params.uri === 'string' ? params.uri : '');
		const call = this.#calls.add({
			id,
			method: message.method!,
			startedAt: now,
			t0: performance.now(),
			progressToken: clientToken === undefined ? undefined : id,
			clientId: message.id!,
			clientToken,
			name,
			context,
			sink,
			exclusive: options.exclusive,
			round: 0,
			keySeq: 0,
			asked: new Map(),
			queued: [],
			settle: undefined,
			expiry: undefined,
			answers: options.answers,
			missing: new Set(),
			parked: undefined,
		});
		this.#seen(context);
		this.info.requests++;
		this.info.inFlight = this.inFlight;
		this.info.lastActivity = now;
		this.events.emit('request-started', {
			sessionId: this.id, server: this.server.name, id: message.id!, method: call.method,
		});
		this.conduit.write(JSON.stringify({
			jsonrpc: '2.0', id, method: call.method, params: childParams(params, call.progressToken),
		}));
		return {
			cancel: () => {
				if (call.sink === sink) {
					this.#cancel(call, 'client closed the stream');
				}
			},
		};
	}

	/**
	The client's retry of a held call: its `inputResponses` answer the child's waiting requests.
	*/
	resume(state: HeldState, message: JsonRpcMessage, sink: CallSink, context: ClientContext): ResumeResult & {handle?: CallHandle} {
		const call = this.#calls.get(state.call) ?? this.#parked.get(state.call);
		if (!call || call.round !== state.round || call.sink !== undefined) {
			return {ok: false, message: 'requestState names an input round that is no longer open (answered already, or its call ended)'};
		}

		clearTimeout(call.expiry);
		call.expiry = undefined;
		call.clientId = message.id!;
		call.clientToken = message.params?._meta?.progressToken;
		call.context = context;
		call.sink = sink;
		this.#seen(context);
		this.info.requests++;
		this.info.lastActivity = Date.now();
		const handle = {
			cancel: () => {
				if (call.sink === sink) {
					this.#cancel(call, 'client closed the stream');
				}
			},
		};
		if (call.parked) {
			this.#deliverParked(call);
			return {ok: true, handle};
		}

		const responses = message.params?.inputResponses as Record<string, unknown> | undefined;
		for (const [key, ask] of call.asked) {
			const answer = responses === undefined || typeof responses !== 'object' ? undefined : responses[key];
			if (!validAnswer(ask.method, answer)) {
				continue;
			}

			this.conduit.write(JSON.stringify({jsonrpc: '2.0', id: ask.childId, result: answer}));
			call.asked.delete(key);
		}

		// Whatever is still unanswered is asked again, as the MRTR pattern prefers to an error.
		if (call.asked.size > 0) {
			call.queued = [...call.asked.values(), ...call.queued];
			call.asked.clear();
		}

		if (call.queued.length > 0) {
			this.#scheduleRound(call);
		}

		return {ok: true, handle};
	}

	/**
	 Sends mcpd's own request to the child (initialize, resources/subscribe);
	 resolves with the answer, or with an error (marked `timedOut`) after
	 `timeoutMs`, `request_timeout` unless told otherwise.
	 */
	async request(method: string, params: Record<string, unknown>, timeoutMs = this.server.requestTimeoutMs): Promise<JsonRpcMessage & {timedOut?: true}> {
		const id = ++this.#nextId;
		return new Promise(resolve => {
			const timer = setTimeout(() => {
				this.#internal.delete(id);
				resolve({
					jsonrpc: '2.0', id, error: {code: ErrorCode.requestTimeout, message: `${method} got no answer within ${timeoutMs / 1000} s`}, timedOut: true,
				});
			}, timeoutMs);
			timer.unref();
			this.#internal.set(id, message => {
				clearTimeout(timer);
				resolve(message);
			});
			this.conduit.write(JSON.stringify({
				jsonrpc: '2.0', id, method, params,
			}));
		});
	}

	async #initialize(version: string): Promise<ChildProfile> {
		const answer = await this.request('initialize', {
			protocolVersion: CHILD_PROTOCOL,
			capabilities: CHILD_CAPABILITIES,
			clientInfo: {name: 'mcpd', version},
		}, this.server.startTimeoutMs);
		if (answer.timedOut) {
			const {message, data} = this.startTimeoutError();
			void this.close('start-timeout');
			throw new StartError('timeout', message, data);
		}

		const result = answer.result as Partial<ChildProfile> | undefined;

		if (!result || answer.error) {
			// Once the child has exited, its end says why; otherwise it answered, and the answer does.
			const cause = this.end?.detail ?? (answer.error ? `it answered initialize with an error: ${answer.error.message}` : 'it answered initialize with no result');
			const stderr = this.end?.stderrTail ?? this.stderr.tail(CRASH_TAIL_LINES);
			const last = stderr.at(-1);
			void this.close('init-failed');
			throw new StartError('failed', `MCP server "${this.server.name}" failed to start (command: ${this.server.command}): ${cause}${last === undefined ? '' : `; its stderr ends: ${last}`}`, {
				server: this.server.name,
				command: this.server.command,
				stderr,
			});
		}

		this.conduit.write('{"jsonrpc":"2.0","method":"notifications/initialized"}');
		this.profile = {
			protocolVersion: typeof result.protocolVersion === 'string' ? result.protocolVersion : CHILD_PROTOCOL,
			capabilities: result.capabilities ?? {},
			serverInfo: result.serverInfo ?? {name: this.server.name, version: '0'},
			instructions: result.instructions,
			perUser: Object.keys(this.server.headerEnv).length > 0,
			listTtlMs: this.server.listTtlMs,
		};
		this.info.protocolVersion = this.profile.protocolVersion;
		this.setState('live');
		return this.profile;
	}

	#seen(context: ClientContext): void {
		const {clientName} = context;
		if (clientName === undefined || this.#clientNames.has(clientName) || this.#clientNames.size >= MAX_CLIENT_NAMES) {
			return;
		}

		this.#clientNames.add(clientName);
		this.info.clientName = [...this.#clientNames].join(', ');
		this.emitState();
	}

	protected onMessage(line: string, message: JsonRpcMessage): void {
		if (Array.isArray(message)) {
			this.noise(line);
			return;
		}

		const {id, method} = message;
		if (method === undefined) {
			if (id === undefined || id === null) {
				this.noise(line);
			} else {
				this.#onResponse(id, message);
			}
		} else if (id !== undefined && id !== null) {
			this.#onChildRequest(id, method, message);
		} else {
			this.#onNotification(method, message);
		}
	}

	#onResponse(id: JsonRpcId, message: JsonRpcMessage): void {
		const internal = typeof id === 'number' ? this.#internal.get(id) : undefined;
		if (internal) {
			this.#internal.delete(id as number);
			internal(message);
			return;
		}

		const call = this.#calls.get(id);
		if (!call) {
			if (!this.#abandoned.delete(id)) {
				this.log('debug', 'response to an unknown request dropped', {id});
			}

			return;
		}

		const failed = message.error !== undefined || message.result?.isError === true;
		const answer = this.#shape(call, message);
		this.#answerAsks(call, 'the call it belonged to has ended');
		if (call.sink) {
			this.#finish(call, failed ? 'error' : 'ok');
			call.sink.respond(answer.raw, answer.message, answer.status);
			return;
		}

		// The client holds an input round: keep the answer for its retry (or the round's expiry).
		this.#calls.delete(call);
		call.parked = answer;
		this.#parked.set(call.id, call);
	}

	#shape(call: Call, message: JsonRpcMessage): {raw: string; message: JsonRpcMessage; status: number} {
		const failed = message.error !== undefined || message.result?.isError === true;
		if (failed && call.missing.size > 0) {
			// The child needed what the client had not declared, and failed for it.
			const required = Object.fromEntries([...call.missing].map(capability => [capability, {}]));
			const raw = errorResponse(call.clientId, -32_021, `The server needs client capabilities this request did not declare: ${[...call.missing].join(', ')}`, {requiredCapabilities: required});
			return {raw, message: JSON.parse(raw) as JsonRpcMessage, status: 400};
		}

		const profile = this.profile!;
		const shaped = message.error === undefined ? shapeResult(call.method, message, profile) : shapeError(call.method, message);
		const out: JsonRpcMessage = message.error === undefined
			? {jsonrpc: '2.0', id: call.clientId, result: shaped.result}
			: {jsonrpc: '2.0', id: call.clientId, error: shaped.error};
		return {raw: JSON.stringify(out), message: out, status: shaped.status};
	}

	#onNotification(method: string, message: JsonRpcMessage): void {
		if (method === 'notifications/progress') {
			const token = message.params?.progressToken as JsonRpcId | undefined;
			const call = token === undefined ? undefined : this.#calls.byProgressToken(token);
			if (!call?.sink) {
				return;
			}

			this.#calls.extend(call);
			call.sink.notify(JSON.stringify({jsonrpc: '2.0', method, params: {...message.params, progressToken: call.clientToken}}));
			return;
		}

		if (method === 'notifications/message') {
			// A stdio log line names no request: it goes with the only call in flight, to a client that asked for logs.
			const call = this.#calls.sole();
			if (!call?.sink || call.context.logLevel < 0 || (levelIndex(message.params?.level) < call.context.logLevel)) {
				return;
			}

			call.sink.notify(JSON.stringify(message));
			return;
		}

		if (method === 'notifications/resources/updated' || method.endsWith('/list_changed')) {
			this.#hooks.changed(message);
		}
	}

	#onChildRequest(id: JsonRpcId, method: string, message: JsonRpcMessage): void {
		if (method === 'ping') {
			this.conduit.write(`{"jsonrpc":"2.0","id":${JSON.stringify(id)},"result":{}}`);
			return;
		}

		const capability = INPUT_METHODS.get(method);
		if (capability === undefined) {
			this.conduit.write(errorResponse(id, ErrorCode.methodNotFound, `mcpd does not relay ${method} to modern clients`));
			return;
		}

		const candidates = [...this.#calls.values(), ...this.#parked.values()].filter(call => INPUT_CAPABLE_METHODS.has(call.method) && !call.parked);
		if (candidates.length !== 1) {
			// Over stdio nothing names the call that asked; with several running, any choice would be a guess.
			this.#unattributed++;
			for (const call of candidates) {
				this.#hooks.learned(inputKeyOf(call.method, call.name));
			}

			this.events.emit('unattributed', {
				sessionId: this.id, server: this.server.name, method, inFlight: candidates.length,
			});
			this.log('warn', 'input request refused: it cannot be tied to one call', {method, inFlight: candidates.length});
			const refusal = `mcpd: ${method} arrived while ${candidates.length} calls were in flight on this child`
				+ ' and cannot be tied to one of them; refused rather than guessed';
			this.conduit.write(errorResponse(id, ErrorCode.internalError, refusal));
			return;
		}

		const call = candidates[0];
		this.#hooks.learned(inputKeyOf(call.method, call.name));
		const params = message.params ? {...message.params} : undefined;
		let key: string | undefined;
		if (params?._meta) {
			const {[META.inputKey]: named, ...meta} = params._meta as Record<string, unknown>;
			if (typeof named === 'string' && named !== '') {
				key = named;
			}

			if (Object.keys(meta).length === 0) {
				delete params._meta;
			} else {
				params._meta = meta;
			}
		}

		key ??= `${capability}-${++call.keySeq}`;
		if (!declares(call.context.capabilities, capability, params)) {
			call.missing.add(capability);
			this.conduit.write(errorResponse(id, ErrorCode.methodNotFound, `Client does not support ${method} (not declared in this request's capabilities)`));
			return;
		}

		const early = call.answers?.[key];
		if (validAnswer(method, early)) {
			delete call.answers![key];
			this.conduit.write(JSON.stringify({jsonrpc: '2.0', id, result: early}));
			return;
		}

		call.queued.push({
			key, childId: id, method, params,
		});
		if (call.sink) {
			this.#scheduleRound(call);
		}
	}

	#scheduleRound(call: Call): void {
		if (call.settle) {
			return;
		}

		call.settle = setTimeout(() => {
			call.settle = undefined;
			this.#sendRound(call);
		}, SETTLE_MS);
	}

	#sendRound(call: Call): void {
		const {sink} = call;
		if (!sink || call.queued.length === 0 || call.parked) {
			return;
		}

		call.round++;
		const inputRequests: Record<string, {method: string; params?: Record<string, unknown>}> = {};
		for (const ask of call.queued) {
			inputRequests[ask.key] = ask.params === undefined ? {method: ask.method} : {method: ask.method, params: ask.params};
			call.asked.set(ask.key, ask);
		}

		call.queued = [];
		const requestState = this.#codec.mint({
			child: this.id,
			call: call.id,
			round: call.round,
			identity: this.identityKey,
			method: call.method,
			name: call.name,
			expires: Date.now() + this.#inputTimeoutMs,
		});
		const message: JsonRpcMessage = {jsonrpc: '2.0', id: call.clientId, result: {resultType: 'input_required', inputRequests, requestState}};
		call.sink = undefined;
		call.expiry = setTimeout(() => {
			this.#expire(call);
		}, this.#inputTimeoutMs);
		call.expiry.unref();
		sink.respond(JSON.stringify(message), message, 200);
	}

	/**
	The client never retried: release the child's waiting requests so its call can end.
	*/
	#expire(call: Call): void {
		call.expiry = undefined;
		const seconds = this.#inputTimeoutMs / 1000;
		this.#answerAsks(call, `the client did not answer within input_timeout (${seconds} s)`);
		if (this.#parked.delete(call.id)) {
			this.#finish(call, 'timeout');
			return;
		}

		this.#abandon(call, 'timeout', `input round expired after ${seconds} s`);
	}

	#cancel(call: Call, reason: string): void {
		if (this.#calls.get(call.id) !== call || !call.sink) {
			return;
		}

		call.sink = undefined;
		this.#answerAsks(call, 'the client cancelled the call');
		this.#abandon(call, 'cancelled', reason);
	}

	#abandon(call: Call, outcome: RequestOutcome, reason: string): void {
		this.#abandoned.add(call.id);
		this.#finish(call, outcome);
		this.conduit.write(JSON.stringify({jsonrpc: '2.0', method: 'notifications/cancelled', params: {requestId: call.id, reason}}));
	}

	#answerAsks(call: Call, why: string): void {
		clearTimeout(call.settle);
		call.settle = undefined;
		const asks: InputAsk[] = [...call.asked.values(), ...call.queued];
		call.asked.clear();
		call.queued = [];
		for (const ask of asks) {
			this.conduit.write(errorResponse(ask.childId, ErrorCode.requestTimeout, `mcpd: no input: ${why}`));
		}
	}

	#deliverParked(call: Call): void {
		const parked = call.parked!;
		this.#parked.delete(call.id);
		clearTimeout(call.expiry);
		const {sink} = call;
		// The parked answer was written for the attempt that was held; the retry has its own id.
		const message = {...parked.message, id: call.clientId};
		this.#finish(call, message.error === undefined && message.result?.isError !== true ? 'ok' : 'error');
		sink?.respond(JSON.stringify(message), message, parked.status);
	}

	#onTimeout(call: Call): void {
		const seconds = Math.round((Date.now() - call.startedAt) / 100) / 10;
		const {sink} = call;
		call.sink = undefined;
		this.#answerAsks(call, 'the call timed out');
		this.#abandon(call, 'timeout', 'request timed out in mcpd');
		const raw = errorResponse(
			call.clientId,
			ErrorCode.requestTimeout,
			`Request timed out after ${seconds} s (server "${this.server.name}", request_timeout ${this.server.requestTimeoutMs / 1000} s)`,
		);
		sink?.respond(raw, JSON.parse(raw) as JsonRpcMessage, 200);
	}

	#finish(call: Call, outcome: RequestOutcome): void {
		this.#calls.delete(call);
		this.#parked.delete(call.id);
		clearTimeout(call.expiry);
		clearTimeout(call.settle);
		if (call.exclusive) {
			this.#exclusive--;
		}

		if (outcome !== 'ok') {
			this.info.errors++;
		}

		this.info.inFlight = this.inFlight;
		this.info.lastActivity = Date.now();
		const durationMs = performance.now() - call.t0;
		this.latency.record(this.server.name, this.id, call.method, durationMs, outcome === 'ok');
		this.events.emit('request-finished', {
			sessionId: this.id, server: this.server.name, id: call.clientId, method: call.method, durationMs, outcome,
		});
		this.#hooks.released();
	}

	protected onExit(exit: ChildExit): void {
		const ending = this.ending(exit);
		for (const resolve of this.#internal.values()) {
			resolve({jsonrpc: '2.0', error: ending.error});
		}

		this.#internal.clear();
		for (const call of [...this.#calls.values(), ...this.#parked.values()]) {
			const {sink} = call;
			this.#finish(call, this.closeReason ? 'cancelled' : 'crashed');
			const raw = errorResponse(call.clientId, ending.error.code, ending.error.message, ending.error.data);
			sink?.respond(raw, JSON.parse(raw) as JsonRpcMessage, 502);
		}

		this.closed(exit, ending);
	}
}

/**
The client's params as the child should see them: no modern envelope or retry fields, mcpd's progress token.
*/
function childParams(params: NonNullable<JsonRpcMessage['params']>, token: JsonRpcId | undefined): Record<string, unknown> {
	const {_meta: meta, inputResponses: _responses, requestState: _state, ...rest} = params as Record<string, unknown> & {_meta?: Record<string, unknown>};
	let childMeta: Record<string, unknown> | undefined;
	if (meta) {
		for (const [key, value] of Object.entries(meta)) {
			if (key === 'progressToken' || key.startsWith('io.modelcontextprotocol/')) {
				continue;
			}

			childMeta ??= {};
			childMeta[key] = value;
		}
	}

	if (token !== undefined) {
		childMeta ??= {};
		childMeta.progressToken = token;
	}

	return childMeta === undefined ? rest : {...rest, _meta: childMeta};
}

/**
Whether the request's declared capabilities cover this child request (URL elicitation needs `elicitation.url`).
*/
function declares(capabilities: Record<string, unknown>, capability: string, params: Record<string, unknown> | undefined): boolean {
	const declared = capabilities[capability];
	if (declared === undefined || declared === null || typeof declared !== 'object') {
		return false;
	}

	return capability === 'elicitation' && params?.mode === 'url' ? (declared as Record<string, unknown>).url !== undefined : true;
}

/**
An input response the child can use: the result shape its request asked for.
*/
function validAnswer(method: string, answer: unknown): boolean {
	if (answer === null || typeof answer !== 'object' || Array.isArray(answer)) {
		return false;
	}

	const value = answer as Record<string, unknown>;
	switch (method) {
		case 'elicitation/create': {
			return value.action === 'accept' || value.action === 'decline' || value.action === 'cancel';
		}

		case 'sampling/createMessage': {
			return value.content !== undefined && typeof value.role === 'string';
		}

		case 'roots/list': {
			return Array.isArray(value.roots);
		}

		default: {
			return false;
		}
	}
}
