import type {EventEmitter} from 'node:events';
import type {ServerConfig} from '../config/types.js';
import type {CloseReason, CoreEvents, RequestOutcome, SessionInfo, SessionState} from './events.js';
import {ErrorCode, errorResponse, type JsonRpcId, type JsonRpcMessage} from './jsonrpc.js';
import type {Child, ChildExit} from './process/child.js';
import {LineSplitter} from './process/line-splitter.js';
import {StderrRing} from './process/stderr-ring.js';
import type {StderrLine} from './port.js';

/**
 * Where a child->client message should go. `response`: the stream of the
 * request it answers; `related`: that request's stream, before its response;
 * `standalone`: the session's GET stream.
 */
export type Target = {kind: 'response'; id: JsonRpcId} | {kind: 'related'; id: JsonRpcId} | {kind: 'standalone'};

/** Implemented by the transport (HTTP) side: the client end of a session. */
export interface ClientSink {
	/** Returns false when no open stream could take the message. */
	deliver(raw: string, message: JsonRpcMessage, target: Target): boolean;
	/** The client cancelled request `id`: no answer will come, release whatever waits for it. */
	abandoned(id: JsonRpcId): void;
	/** The session ended; close its streams. */
	closed(reason: CloseReason): void;
}

interface Pending {
	id: JsonRpcId;
	method: string;
	startedAt: number;
	/** performance.now() at start: monotonic, sub-millisecond. */
	t0: number;
	progressToken: JsonRpcId | undefined;
	timer: NodeJS.Timeout;
}

/** How many stderr lines travel with a crash error, enough to see a traceback's end. */
const CRASH_TAIL_LINES = 20;
/** A stderr line longer than this is cut into pieces rather than held whole. */
const STDERR_MAX_LINE = 16 * 1024;

/** Where finished requests are counted; a direct call, cheaper than an event on the hot path. */
export interface LatencySink {
	record(server: string, sessionId: string, method: string, durationMs: number, ok: boolean): void;
}

export interface SessionOptions {
	id: string;
	latency: LatencySink;
	server: ServerConfig;
	child: Child;
	events: EventEmitter<CoreEvents>;
	killGraceMs: number;
	tag: string | undefined;
}

/**
 * One MCP session: one child process, the client requests in flight to it and
 * the routing of whatever the child sends back. Transport-free: the HTTP layer
 * plugs in through `ClientSink`.
 */
export class Session {
	readonly id: string;
	readonly server: ServerConfig;
	readonly info: SessionInfo;
	readonly stderr = new StderrRing();
	sink: ClientSink | undefined;
	/** Open client streams (GET stream, SSE responses) hold idle reaping off. */
	streams = 0;

	readonly #child: Child;
	readonly #events: EventEmitter<CoreEvents>;
	readonly #latency: LatencySink;
	readonly #killGraceMs: number;
	readonly #pending = new Map<JsonRpcId, Pending>();
	readonly #byProgressToken = new Map<JsonRpcId, JsonRpcId>();
	/** Requests we gave up on (timeout, cancel): their late answers are dropped. */
	readonly #abandoned = new Set<JsonRpcId>();
	/** Server->client requests awaiting the client's answer. */
	readonly #childRequests = new Map<JsonRpcId, string>();
	#closeReason: CloseReason | undefined;
	#outbox = '';
	#flushScheduled = false;
	readonly #exited: Promise<void>;

	constructor(options: SessionOptions) {
		this.id = options.id;
		this.server = options.server;
		this.#child = options.child;
		this.#events = options.events;
		this.#latency = options.latency;
		this.#killGraceMs = options.killGraceMs;
		const now = Date.now();
		this.info = {
			id: options.id,
			server: options.server.name,
			pid: options.child.pid,
			state: 'starting',
			clientName: undefined,
			clientVersion: undefined,
			protocolVersion: undefined,
			tag: options.tag,
			startedAt: now,
			lastActivity: now,
			requests: 0,
			errors: 0,
			inFlight: 0,
		};

		const stdout = new LineSplitter(line => {
			this.#onChildLine(line);
		});
		options.child.stdout.on('data', (chunk: Buffer) => {
			stdout.push(chunk);
		});
		const stderr = new LineSplitter(line => {
			this.#onStderrLine(line);
		}, STDERR_MAX_LINE);
		options.child.stderr.on('data', (chunk: Buffer) => {
			stderr.push(chunk);
		});
		options.child.stderr.on('end', () => {
			stderr.flush();
		});

		this.#exited = options.child.exited.then(exit => {
			stdout.flush();
			this.#onExit(exit);
		});
	}

	get state(): SessionState {
		return this.info.state;
	}

	get inFlight(): number {
		return this.#pending.size;
	}

	get pid(): number | undefined {
		return this.#child.pid;
	}

	/** Relays one client message (already parsed, `raw` is its text without newlines) to the child. */
	fromClient(raw: string, message: JsonRpcMessage): void {
		const now = Date.now();
		this.info.lastActivity = now;
		const {id, method} = message;
		if (method !== undefined) {
			if (id !== undefined && id !== null) {
				this.#track(id, method, message, now);
			} else if (method === 'notifications/cancelled') {
				const requestId = message.params?.requestId as JsonRpcId | undefined;
				const pending = requestId === undefined ? undefined : this.#pending.get(requestId);
				// initialize is never cancelled (spec); anything else stops counting now.
				if (pending && pending.method !== 'initialize') {
					this.#finish(pending, 'cancelled', true);
					this.sink?.abandoned(pending.id);
				}
			}
		} else if (id !== undefined && id !== null) {
			this.#childRequests.delete(id);
		}

		this.#write(raw);
	}

	/** Client requests in flight, by id: the HTTP layer checks a POST's ids against these. */
	hasPending(id: JsonRpcId): boolean {
		return this.#pending.has(id);
	}

	/** Stops the child: stdin EOF and SIGTERM to its group, SIGKILL after the grace (at once with `force`). */
	async close(reason: CloseReason, force = false): Promise<void> {
		if (this.#closeReason === undefined) {
			this.#closeReason = reason;
			if (this.info.state !== 'closed' && this.info.state !== 'crashed') this.#setState('closing');
			this.#flush();
			this.#child.stdin.end();
			this.#child.signal(force ? 'SIGKILL' : 'SIGTERM');
			if (!force) {
				const timer = setTimeout(() => {
					this.#child.signal('SIGKILL');
				}, this.#killGraceMs);
				timer.unref();
				void this.#exited.then(() => {
					clearTimeout(timer);
				});
			}
		} else if (force) {
			this.#child.signal('SIGKILL');
		}

		return this.#exited;
	}

	/** Resolves once the child has exited and the session is finished. */
	get done(): Promise<void> {
		return this.#exited;
	}

	stderrLines(): StderrLine[] {
		return this.stderr.lines();
	}

	#track(id: JsonRpcId, method: string, message: JsonRpcMessage, now: number): void {
		if (method === 'initialize') {
			const params = message.params as {clientInfo?: {name?: unknown; version?: unknown}; protocolVersion?: unknown} | undefined;
			const clientInfo = params?.clientInfo;
			if (typeof clientInfo?.name === 'string') this.info.clientName = clientInfo.name;
			if (typeof clientInfo?.version === 'string') this.info.clientVersion = clientInfo.version;
		}

		const progressToken = message.params?._meta?.progressToken;
		const timer = setTimeout(() => {
			this.#onTimeout(id);
		}, this.server.requestTimeoutMs);
		timer.unref();
		this.#pending.set(id, {id, method, startedAt: now, t0: performance.now(), progressToken, timer});
		if (progressToken !== undefined) this.#byProgressToken.set(progressToken, id);
		this.info.requests++;
		this.info.inFlight = this.#pending.size;
		this.#events.emit('request-started', {sessionId: this.id, server: this.server.name, id, method});
	}

	#finish(pending: Pending, outcome: RequestOutcome, abandon: boolean): void {
		clearTimeout(pending.timer);
		this.#pending.delete(pending.id);
		if (pending.progressToken !== undefined) this.#byProgressToken.delete(pending.progressToken);
		if (abandon) this.#abandoned.add(pending.id);
		if (outcome !== 'ok') this.info.errors++;
		this.info.inFlight = this.#pending.size;
		this.info.lastActivity = Date.now();
		const durationMs = performance.now() - pending.t0;
		this.#latency.record(this.server.name, this.id, pending.method, durationMs, outcome === 'ok');
		this.#events.emit('request-finished', {sessionId: this.id, server: this.server.name, id: pending.id, method: pending.method, durationMs, outcome});
	}

	#onTimeout(id: JsonRpcId): void {
		const pending = this.#pending.get(id);
		if (!pending) return;
		const seconds = Math.round((Date.now() - pending.startedAt) / 100) / 10;
		this.#finish(pending, 'timeout', true);
		const raw = errorResponse(id, ErrorCode.requestTimeout, `Request timed out after ${seconds} s (server "${this.server.name}", request_timeout ${this.server.requestTimeoutMs / 1000} s)`);
		this.sink?.deliver(raw, JSON.parse(raw) as JsonRpcMessage, {kind: 'response', id});
		if (pending.method === 'initialize') {
			void this.close('init-failed');
			return;
		}

		this.#write(JSON.stringify({jsonrpc: '2.0', method: 'notifications/cancelled', params: {requestId: id, reason: 'request timed out in mcpd'}}));
	}

	/** Progress extends its request's deadline, up to the server's hard maximum. */
	#extend(pending: Pending): void {
		const now = Date.now();
		const left = pending.startedAt + this.server.requestTimeoutMaxMs - now;
		if (left >= this.server.requestTimeoutMs) {
			pending.timer.refresh();
		} else {
			clearTimeout(pending.timer);
			pending.timer = setTimeout(() => {
				this.#onTimeout(pending.id);
			}, Math.max(0, left));
			pending.timer.unref();
		}
	}

	#onChildLine(line: string): void {
		let message: JsonRpcMessage;
		try {
			message = JSON.parse(line) as JsonRpcMessage;
		} catch {
			this.#noise(line);
			return;
		}

		if (message === null || typeof message !== 'object') {
			this.#noise(line);
		} else if (Array.isArray(message)) {
			for (const item of message as JsonRpcMessage[]) this.#route(JSON.stringify(item), item);
		} else {
			this.#route(line, message);
		}
	}

	#route(raw: string, message: JsonRpcMessage): void {
		const {id, method} = message;
		if (method === undefined) {
			if (id === undefined || id === null) {
				this.#noise(raw);
				return;
			}

			const pending = this.#pending.get(id);
			if (!pending) {
				// A late answer to a request we timed out or the client cancelled.
				if (!this.#abandoned.delete(id)) this.#log('debug', 'response to an unknown request dropped', {id});
				return;
			}

			if (pending.method === 'initialize' && message.result) {
				const version = (message.result as {protocolVersion?: unknown}).protocolVersion;
				if (typeof version === 'string') this.info.protocolVersion = version;
				this.#setState('live');
			}

			this.#finish(pending, message.error !== undefined || message.result?.isError === true ? 'error' : 'ok', false);
			this.#deliver(raw, message, {kind: 'response', id});
			if (pending.method === 'initialize' && message.error !== undefined) void this.close('init-failed');
			return;
		}

		if (id !== undefined && id !== null) {
			this.#fromChildRequest(raw, message, id, method);
			return;
		}

		if (method === 'notifications/progress') {
			const token = message.params?.progressToken as JsonRpcId | undefined;
			const requestId = token === undefined ? undefined : this.#byProgressToken.get(token);
			const pending = requestId === undefined ? undefined : this.#pending.get(requestId);
			if (pending) {
				this.#extend(pending);
				this.#deliver(raw, message, {kind: 'related', id: pending.id});
			} else {
				this.#deliver(raw, message, {kind: 'standalone'});
			}

			return;
		}

		if (method.endsWith('/list_changed') || method === 'notifications/resources/updated') {
			this.#deliver(raw, message, {kind: 'standalone'});
			return;
		}

		this.#deliver(raw, message, this.#soleTarget());
	}

	#fromChildRequest(raw: string, message: JsonRpcMessage, id: JsonRpcId, method: string): void {
		// mcpd is the child's client: it answers pings itself, the HTTP client may be gone.
		if (method === 'ping') {
			this.#write(`{"jsonrpc":"2.0","id":${JSON.stringify(id)},"result":{}}`);
			return;
		}

		this.#childRequests.set(id, method);
		if (!this.#deliver(raw, message, this.#soleTarget())) {
			this.#childRequests.delete(id);
			// Answer for the client so the child does not wait forever.
			this.#write(errorResponse(id, ErrorCode.internalError, `mcpd: no open client stream to deliver ${method} to`));
		}
	}

	/** Server messages that name no request go with the only request in flight, else to the GET stream. */
	#soleTarget(): Target {
		if (this.#pending.size === 1) {
			for (const id of this.#pending.keys()) return {kind: 'related', id};
		}

		return {kind: 'standalone'};
	}

	#deliver(raw: string, message: JsonRpcMessage, target: Target): boolean {
		const delivered = this.sink?.deliver(raw, message, target) ?? false;
		if (!delivered) {
			const reason = target.kind === 'standalone' ? 'no GET stream open' : `request ${String(target.id)} has no open stream`;
			this.#events.emit('undeliverable', {sessionId: this.id, server: this.server.name, method: message.method, reason});
			this.#log('warn', 'message from server could not be delivered', {method: message.method ?? 'response', reason});
		}

		return delivered;
	}

	/**
	 * Messages written in one turn of the event loop leave in one write: with
	 * several requests in flight per session this saves a syscall per message,
	 * the largest single cost of the relay.
	 */
	#write(raw: string): void {
		if (!this.#child.stdin.writable) return;
		if (raw.length >= 65_536) {
			// Keep order, and spare a multi-MiB body the copy that appending a newline would make.
			this.#flush();
			this.#child.stdin.write(raw);
			this.#child.stdin.write('\n');
			return;
		}

		this.#outbox += raw + '\n';
		if (!this.#flushScheduled) {
			this.#flushScheduled = true;
			setImmediate(this.#flushSoon);
		}
	}

	readonly #flushSoon = (): void => {
		this.#flushScheduled = false;
		this.#flush();
	};

	#flush(): void {
		if (this.#outbox === '') return;
		const data = this.#outbox;
		this.#outbox = '';
		if (this.#child.stdin.writable) this.#child.stdin.write(data);
	}

	#noise(line: string): void {
		this.#events.emit('stdout-noise', {sessionId: this.id, server: this.server.name, line: line.length > 1000 ? `${line.slice(0, 1000)}…` : line});
	}

	#onStderrLine(line: string): void {
		const entry = {time: Date.now(), line};
		this.stderr.push(entry);
		this.#events.emit('stderr', {sessionId: this.id, server: this.server.name, line, time: entry.time});
	}

	#onExit(exit: ChildExit): void {
		const wanted = this.#closeReason;
		const clean = exit.exitCode === 0 && exit.signal === undefined;
		const reason: CloseReason = wanted ?? (exit.spawnError ? 'spawn-failed' : clean ? 'exit' : 'crash');
		const crashed = reason === 'crash' || reason === 'spawn-failed';
		const stderrTail = this.stderr.tail(CRASH_TAIL_LINES);
		if (exit.spawnError) stderrTail.push(exit.spawnError);

		const what = exit.spawnError ?? (exit.signal ? `killed by ${exit.signal}` : `exit code ${exit.exitCode}`);
		for (const pending of [...this.#pending.values()]) {
			this.#finish(pending, wanted ? 'cancelled' : 'crashed', false);
			const raw = errorResponse(pending.id, ErrorCode.serverExited, `MCP server "${this.server.name}" exited (${what})`, {
				exitCode: exit.exitCode ?? null,
				signal: exit.signal ?? null,
				stderr: stderrTail,
			});
			this.sink?.deliver(raw, JSON.parse(raw) as JsonRpcMessage, {kind: 'response', id: pending.id});
		}

		this.#setState(crashed ? 'crashed' : 'closed');
		this.sink?.closed(reason);
		this.#events.emit('session-closed', {
			id: this.id,
			server: this.server.name,
			reason,
			state: this.info.state,
			exitCode: exit.exitCode,
			signal: exit.signal,
			stderrTail,
		});
	}

	#setState(state: SessionState): void {
		if (this.info.state === state) return;
		this.info.state = state;
		const {clientName, clientVersion, protocolVersion} = this.info;
		this.#events.emit('session-state', {id: this.id, server: this.server.name, state, pid: this.#child.pid, clientName, clientVersion, protocolVersion});
	}

	#log(level: 'debug' | 'info' | 'warn' | 'error', message: string, fields: Record<string, unknown>): void {
		this.#events.emit('log', {level, message, fields: {session: this.id, server: this.server.name, ...fields}});
	}
}
