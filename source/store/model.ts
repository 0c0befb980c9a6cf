import type {CoreEvents, ServerInfo, SessionInfo} from '../core/events.js';
import type {SupervisorPort} from '../core/port.js';
import {toPlainLine} from '../lib/plain-text.js';
import {RingBuffer} from '../lib/ring-buffer.js';
import {TailBuffer} from './tail-buffer.js';
import type {ServerRow, SessionRow, TailView} from './types.js';

export type ModelLimits = {
	/**
	Stderr lines kept per session.
	*/
	tailLimit: number;
	/**
	Closed sessions kept on screen before they are dropped.
	*/
	closedLimit: number;
	/**
	Mcpd log lines kept.
	*/
	logLimit: number;
};

type Payload<K extends keyof CoreEvents> = CoreEvents[K][0];

type ServerRecord = {
	name: string;
	state: ServerRow['state'];
	command: string;
	crashes: number;
	spawned: number;
	lastCrashed: boolean;
	retryAt: number | undefined;
	prewarmed: number;
};

// Client names come from whoever connects: never let them carry escapes onto the screen.
const plain = (text: string | undefined): string | undefined => (text === undefined ? undefined : toPlainLine(text));

const toRow = (info: SessionInfo): SessionRow => ({
	id: info.id,
	server: info.server,
	pid: info.pid,
	state: info.state,
	clientName: plain(info.clientName),
	clientVersion: plain(info.clientVersion),
	tag: plain(info.tag),
	era: info.era,
	identity: info.identity,
	startedAt: info.startedAt,
	lastActivity: info.lastActivity,
	endedAt: undefined,
	closeReason: undefined,
	exitCode: undefined,
	signal: undefined,
	requests: info.requests,
	errors: info.errors,
	inFlight: info.inFlight,
});

const sameServerRow = (a: ServerRow, b: ServerRow): boolean =>
	(Object.keys(a) as Array<keyof ServerRow>).every(key => a[key] === b[key]);

/**
 The mutable side of the store: folds events in place, then `servers()`,
 `sessions()` and `tails()` hand out immutable values. Session rows are
 replaced, never mutated, so unchanged rows keep their identity for React.
 */
export class DashboardModel {
	readonly #servers = new Map<string, ServerRecord>();
	readonly #live = new Map<string, SessionRow>();
	readonly #closed: RingBuffer<SessionRow>;
	readonly #tails = new Map<string, TailBuffer>();
	readonly #log: TailBuffer;
	readonly #limits: ModelLimits;
	#serverRows = new Map<string, ServerRow>();

	constructor(supervisor: SupervisorPort, limits: ModelLimits) {
		this.#limits = limits;
		this.#closed = new RingBuffer(limits.closedLimit);
		this.#log = new TailBuffer(limits.logLimit);
		this.serversChanged(supervisor.servers());
		for (const info of supervisor.sessions()) {
			const tail = this.#tailFor(info.id);
			for (const l of supervisor.stderrTail(info.id)) {
				tail.push(l.time, l.line);
			}

			if (info.state === 'closed' || info.state === 'crashed') {
				this.#retire({...toRow(info), endedAt: info.lastActivity});
			} else {
				this.#live.set(info.id, toRow(info));
			}
		}
	}

	get liveCount(): number {
		return this.#live.size;
	}

	liveRows(): Iterable<SessionRow> {
		return this.#live.values();
	}

	/**
	The server list as the supervisor has it now (at start, and after a reload).
	*/
	serversChanged(servers: ServerInfo[]): void {
		const kept = new Map<string, ServerRecord>();
		for (const s of servers) {
			const previous = this.#servers.get(s.name);
			kept.set(s.name, {
				name: s.name, state: s.state, command: s.command, crashes: s.crashes, spawned: s.spawned, lastCrashed: previous?.lastCrashed ?? false, retryAt: s.retryAt, prewarmed: s.prewarmed,
			});
		}

		this.#servers.clear();
		for (const [name, record] of kept) {
			this.#servers.set(name, record);
		}
	}

	serverState(e: Payload<'server-state'>): void {
		const server = this.#server(e.server);
		server.state = e.state;
		server.retryAt = e.state === 'quarantined' ? e.retryAt : undefined;
	}

	serverPrewarm(e: Payload<'server-prewarm'>): void {
		this.#server(e.server).prewarmed = e.prewarmed;
	}

	sessionOpened(info: Payload<'session-opened'>): void {
		this.#server(info.server).spawned++;
		this.#tailFor(info.id);
		this.#live.set(info.id, toRow(info));
	}

	sessionState(e: Payload<'session-state'>): void {
		const row = this.#live.get(e.id);
		if (!row) {
			return;
		}

		this.#live.set(e.id, {
			...row,
			state: e.state,
			pid: e.pid ?? row.pid,
			// Known once `initialize` is through; earlier events carry undefined.
			clientName: plain(e.clientName) ?? row.clientName,
			clientVersion: plain(e.clientVersion) ?? row.clientVersion,
		});
	}

	sessionClosed(e: Payload<'session-closed'>, now: number): void {
		const row = this.#live.get(e.id);
		this.#live.delete(e.id);
		const server = this.#server(e.server);
		const crashed = e.state === 'crashed';
		if (crashed) {
			server.crashes++;
		}

		server.lastCrashed = crashed;
		// The supervisor's own tail covers lines we never saw, e.g. a spawn that failed before `session-opened`.
		const tail = this.#tails.get(e.id);
		if (!tail || (tail.view().total === 0 && e.stderrTail.length > 0)) {
			const fresh = this.#tailFor(e.id);
			for (const line of e.stderrTail) {
				fresh.push(now, line);
			}
		}

		const base: SessionRow = row ?? {
			...toRow({
				id: e.id, server: e.server, era: 'legacy', identity: undefined, pid: undefined, state: e.state,
				clientName: undefined, clientVersion: undefined, protocolVersion: undefined, tag: undefined,
				startedAt: now, lastActivity: now, requests: 0, errors: 0, inFlight: 0,
			}),
		};
		this.#retire({
			...base, state: crashed ? 'crashed' : 'closed', endedAt: now, inFlight: 0, closeReason: e.reason, exitCode: e.exitCode, signal: e.signal,
		});
	}

	requestStarted(e: Payload<'request-started'>, now: number): void {
		const row = this.#live.get(e.sessionId);
		if (row) {
			this.#live.set(row.id, {
				...row, requests: row.requests + 1, inFlight: row.inFlight + 1, lastActivity: now,
			});
		}
	}

	requestFinished(e: Payload<'request-finished'>, now: number): void {
		const row = this.#live.get(e.sessionId);
		if (!row) {
			return;
		}

		const errors = row.errors + (e.outcome === 'ok' ? 0 : 1);
		this.#live.set(row.id, {
			...row, errors, inFlight: Math.max(0, row.inFlight - 1), lastActivity: now,
		});
	}

	/**
	Lines for sessions we do not know are dropped: nothing would ever evict their buffer.
	*/
	tailLine(sessionId: string, time: number, line: string): boolean {
		const tail = this.#tails.get(sessionId);
		tail?.push(time, line);
		return tail !== undefined;
	}

	logLine(e: Payload<'log'>, time: number): void {
		const fields = e.fields ? Object.entries(e.fields).map(([k, v]) => ` ${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`).join('') : '';
		this.#log.push(time, `${e.level.padEnd(5)} ${e.message}${fields}`);
	}

	servers(): ServerRow[] {
		const counts = new Map<string, {sessions: number; starting: number}>();
		for (const row of this.#live.values()) {
			const c = counts.get(row.server) ?? {sessions: 0, starting: 0};
			c.sessions++;
			if (row.state === 'starting') {
				c.starting++;
			}

			counts.set(row.server, c);
		}

		const next = new Map<string, ServerRow>();
		for (const s of this.#servers.values()) {
			const c = counts.get(s.name);
			const row: ServerRow = {...s, sessions: c?.sessions ?? 0, starting: c?.starting ?? 0};
			const previous = this.#serverRows.get(s.name);
			next.set(s.name, previous && sameServerRow(previous, row) ? previous : row);
		}

		this.#serverRows = next;
		return [...next.values()];
	}

	sessions(): SessionRow[] {
		return [...this.#live.values(), ...this.#closed.toArray().toReversed()];
	}

	tails(): Map<string, TailView> {
		const out = new Map<string, TailView>();
		for (const [id, tail] of this.#tails) {
			out.set(id, tail.view());
		}

		return out;
	}

	log(): TailView {
		return this.#log.view();
	}

	#server(name: string): ServerRecord {
		let s = this.#servers.get(name);
		if (!s) {
			s = {
				name, state: 'ready', command: '', crashes: 0, spawned: 0, lastCrashed: false, retryAt: undefined, prewarmed: 0,
			};
			this.#servers.set(name, s);
		}

		return s;
	}

	#tailFor(id: string): TailBuffer {
		let tail = this.#tails.get(id);
		if (!tail) {
			tail = new TailBuffer(this.#limits.tailLimit);
			this.#tails.set(id, tail);
		}

		return tail;
	}

	#retire(row: SessionRow): void {
		const dropped = this.#closed.push(row);
		if (dropped && !this.#live.has(dropped.id)) {
			this.#tails.delete(dropped.id);
		}
	}
}
