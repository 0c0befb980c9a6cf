import type {EventEmitter} from 'node:events';
import type {ServerConfig} from '../config/types.js';
import type {CloseReason, CoreEvents, Era, SessionInfo, SessionState} from './events.js';
import type {JsonRpcMessage} from './jsonrpc.js';
import type {StderrLine} from './port.js';
import type {Child, ChildExit} from './process/child.js';
import {Conduit} from './process/conduit.js';
import {CRASH_TAIL_LINES, describeExit, exitReason} from './process/exit.js';

/**
Where finished requests are counted; a direct call, cheaper than an event on the hot path.
*/
export type LatencySink = {
	record(server: string, sessionId: string, method: string, durationMs: number, ok: boolean): void;
};

export type ChildUnitOptions = {
	id: string;
	server: ServerConfig;
	child: Child;
	events: EventEmitter<CoreEvents>;
	latency: LatencySink;
	killGraceMs: number;
	era: Era;
	identity?: string;
	tag?: string;
	/**
	Called once, when the child first answers `initialize`: the server's health counts it as started.
	*/
	onLive?: () => void;
};

/**
How a child ended, worked out once for whoever answers what was pending.
*/
export type Ending = {
	reason: CloseReason;
	/**
	`exited (exit code 1)`, `did not answer initialize within start_timeout (30 s)`.
	*/
	detail: string;
	stderrTail: string[];
	/**
	The error a request still pending gets.
	*/
	error: {code: number; message: string; data: unknown};
};

/**
 What every child mcpd runs has, whatever the protocol era in front of it:
 its row (`info`), its plumbing, its lifecycle events and the stop sequence.
 A legacy Session and a modern SharedChild differ only in how they treat
 the child's messages.
 */
export abstract class ChildUnit {
	readonly id: string;
	readonly server: ServerConfig;
	readonly info: SessionInfo;
	protected readonly conduit: Conduit;
	protected readonly events: EventEmitter<CoreEvents>;
	protected readonly latency: LatencySink;
	protected closeReason: CloseReason | undefined;
	/**
	Open client streams (GET, SSE answers, listen streams) hold idle reaping off.
	*/
	protected openStreams = 0;
	readonly #onLive: (() => void) | undefined;
	#liveAt: number | undefined;
	#end: Ending | undefined;

	constructor(options: ChildUnitOptions) {
		this.id = options.id;
		this.server = options.server;
		this.events = options.events;
		this.latency = options.latency;
		this.#onLive = options.onLive;
		const now = Date.now();
		this.info = {
			id: options.id,
			server: options.server.name,
			era: options.era,
			identity: options.identity,
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
		this.conduit = new Conduit(options.child, options.killGraceMs, {
			line: line => {
				const message = this.#parse(line);
				if (message) {
					this.onMessage(line, message);
				}
			},
			stderr: (line, time) => {
				this.events.emit('stderr', {
					sessionId: this.id, server: this.server.name, line, time,
				});
			},
			exit: exit => {
				this.onExit(exit);
			},
		});
	}

	get state(): SessionState {
		return this.info.state;
	}

	get pid(): number | undefined {
		return this.conduit.pid;
	}

	get stderr() {
		return this.conduit.stderr;
	}

	/**
	When the child first answered `initialize` (epoch ms); undefined while it has not.
	*/
	get liveAt(): number | undefined {
		return this.#liveAt;
	}

	/**
	How the child ended, once it has.
	*/
	get end(): Ending | undefined {
		return this.#end;
	}

	/**
	Resolves once the child has exited and everything it owed is answered.
	*/
	get done(): Promise<void> {
		return this.conduit.done;
	}

	/**
	Client streams that keep the child from being idle.
	*/
	get streams(): number {
		return this.openStreams;
	}

	/**
	Requests in flight: none, and no stream, for `idle_timeout` means idle.
	*/
	abstract get inFlight(): number;

	stderrLines(): StderrLine[] {
		return this.stderr.lines();
	}

	/**
	Stops reading the child until the returned function is called (see `Conduit.hold`).
	*/
	hold(): () => void {
		return this.conduit.hold();
	}

	streamOpened(): void {
		this.openStreams++;
	}

	streamClosed(): void {
		this.openStreams--;
		this.info.lastActivity = Date.now();
	}

	/**
	Stops the child: stdin EOF and SIGTERM to its group, SIGKILL after the grace (at once with `force`).
	*/
	async close(reason: CloseReason, force = false): Promise<void> {
		if (this.closeReason === undefined) {
			this.closeReason = reason;
			if (this.info.state !== 'closed' && this.info.state !== 'crashed') {
				this.setState('closing');
			}
		}

		return this.conduit.stop(force);
	}

	/**
	One JSON-RPC message (or batch) from the child's stdout, with the line it came in.
	*/
	protected abstract onMessage(line: string, message: JsonRpcMessage): void;

	protected abstract onExit(exit: ChildExit): void;

	protected ending(exit: ChildExit): Ending {
		const reason = exitReason(exit, this.closeReason);
		const stderrTail = this.stderr.tail(CRASH_TAIL_LINES);
		if (exit.spawnError) {
			stderrTail.push(exit.spawnError);
		}

		const exited = `exited (${describeExit(exit)})`;
		return {
			reason,
			detail: reason === 'start-timeout' ? `did not answer initialize within start_timeout (${this.server.startTimeoutMs / 1000} s)` : exited,
			stderrTail,
			error: {
				code: -32_000,
				message: `MCP server "${this.server.name}" ${exited}`,
				data: {
					exitCode: exit.exitCode ?? null, signal: exit.signal ?? null, command: this.server.command, stderr: stderrTail,
				},
			},
		};
	}

	/**
	 The error for a child that let `start_timeout` pass without answering
	 `initialize`. It names the command (never the args, which may carry a
	 key) and ends with the child's last stderr line, where the cause usually is.
	 */
	protected startTimeoutError(): {message: string; data: Record<string, unknown>} {
		const seconds = this.server.startTimeoutMs / 1000;
		const stderr = this.stderr.tail(CRASH_TAIL_LINES);
		const last = stderr.at(-1);
		return {
			message: `MCP server "${this.server.name}" did not answer initialize within start_timeout (${seconds} s) and was stopped`
				+ ` (command: ${this.server.command}); ${last === undefined ? 'it wrote nothing to stderr' : `its stderr ends: ${last}`}`,
			data: {
				server: this.server.name, command: this.server.command, startTimeout: seconds, stderr,
			},
		};
	}

	/**
	After pending requests are answered: the final state and the `session-closed` event.
	*/
	protected closed(exit: ChildExit, ending: Ending): void {
		this.#end = ending;
		this.setState(['crash', 'spawn-failed', 'start-timeout'].includes(ending.reason) ? 'crashed' : 'closed');
		this.events.emit('session-closed', {
			id: this.id,
			server: this.server.name,
			reason: ending.reason,
			state: this.info.state,
			exitCode: exit.exitCode,
			signal: exit.signal,
			stderrTail: ending.stderrTail,
		});
	}

	protected setState(state: SessionState): void {
		if (this.info.state === state) {
			return;
		}

		this.info.state = state;
		this.emitState();
		if (!(state === 'live' && this.#liveAt === undefined)) {
			return;
		}

		this.#liveAt = Date.now();
		this.#onLive?.();
	}

	/**
	`session-state` also carries what is known of the client.
	*/
	protected emitState(): void {
		const {state, clientName, clientVersion, protocolVersion} = this.info;
		this.events.emit('session-state', {
			id: this.id, server: this.server.name, state, pid: this.pid, clientName, clientVersion, protocolVersion,
		});
	}

	protected noise(line: string): void {
		this.events.emit('stdout-noise', {sessionId: this.id, server: this.server.name, line: line.length > 1000 ? `${line.slice(0, 1000)}…` : line});
	}

	protected log(level: 'debug' | 'info' | 'warn' | 'error', message: string, fields: Record<string, unknown>): void {
		this.events.emit('log', {level, message, fields: {session: this.id, server: this.server.name, ...fields}});
	}

	#parse(line: string): JsonRpcMessage | undefined {
		let message: JsonRpcMessage;
		try {
			message = JSON.parse(line) as JsonRpcMessage;
		} catch {
			this.noise(line);
			return undefined;
		}

		if (message === null || typeof message !== 'object') {
			this.noise(line);
			return undefined;
		}

		return message;
	}
}
