import {randomUUID} from 'node:crypto';
import {EventEmitter} from 'node:events';
import type {Config, ServerConfig} from '../config/types.js';
import type {CoreEvents, ServerInfo, SessionInfo} from './events.js';
import {OpenError} from './errors.js';
import {LatencyRecorder} from './metrics/index.js';
import type {KillResult, StderrLine, SupervisorPort} from './port.js';
import {childEnv} from './process/child-env.js';
import {spawnChild} from './process/child.js';
import {ModernPool, type IdentityRef} from './modern/pool.js';
import {RequestStateCodec} from './modern/request-state.js';
import {SharedChild, type SharedChildHooks} from './modern/shared-child.js';
import {Session} from './session.js';

/** A legacy session or a modern shared child: both are one process mcpd runs and reaps. */
export type Unit = Session | SharedChild;

export interface OpenOptions {
	/** Env for this session's child only (from `header_env`); never logged. */
	sessionEnv?: Record<string, string>;
	tag?: string;
}

interface ServerEntry {
	config: ServerConfig;
	sessions: Set<Unit>;
	crashes: number;
	spawned: number;
	unattributed: number;
}

/**
 * Owns servers and sessions: spawns a child per session, reaps idle and old
 * ones, and reports everything as typed events. Knows nothing of HTTP or UI.
 */
export class Supervisor implements SupervisorPort {
	readonly events = new EventEmitter<CoreEvents>();
	readonly config: Config;
	/** Request latency per server, session and method: what `/status` and the dashboard show. */
	readonly latency = new LatencyRecorder();
	readonly #servers = new Map<string, ServerEntry>();
	/** Signs the `requestState` of input rounds; a new key each start, so a state never outlives mcpd. */
	readonly requestState: RequestStateCodec;
	/** Modern (2026-07-28) children by identity. */
	readonly modern: ModernPool;
	readonly #sessions = new Map<string, Unit>();
	readonly #sweeper: NodeJS.Timeout;
	readonly #version: string;
	#stopping: Promise<void> | undefined;

	constructor(config: Config, readonly parentEnv: NodeJS.ProcessEnv = process.env, version = '0.0.0') {
		this.config = config;
		this.#version = version;
		this.requestState = new RequestStateCodec(config.http.instanceId);
		this.modern = new ModernPool({
			spawn: (ref, hooks) => this.#openShared(ref, hooks),
		});
		// Nobody may be listening yet; an 'error' event without a listener would throw.
		this.events.setMaxListeners(50);
		for (const server of config.servers) {
			this.#servers.set(server.name, {config: server, sessions: new Set(), crashes: 0, spawned: 0, unattributed: 0});
		}

		this.events.on('unattributed', ({server}) => {
			const entry = this.#servers.get(server);
			if (entry) entry.unattributed++;
		});

		// One sweep for every session instead of a timer each; its period follows the
		// shortest idle timeout so short test timeouts are honoured closely.
		const shortest = Math.min(config.sessions.idleTimeoutMs, ...config.servers.map(server => server.idleTimeoutMs));
		const period = Math.min(1000, Math.max(25, Math.floor(shortest / 4)));
		this.#sweeper = setInterval(() => {
			this.#sweep();
		}, period);
		this.#sweeper.unref();
	}

	/** Spawns a child for a new legacy session. Throws `OpenError` when refused. */
	open(serverName: string, options: OpenOptions = {}): Session {
		const entry = this.#admit(serverName);
		const server = entry.config;
		const child = this.#spawn(server, options.sessionEnv);
		const session = new Session({
			id: this.#newId(''),
			latency: this.latency,
			server,
			child,
			events: this.events,
			killGraceMs: this.config.sessions.killGraceMs,
			tag: options.tag,
		});
		this.#register(entry, session);
		return session;
	}

	#openShared(ref: IdentityRef, hooks: SharedChildHooks): SharedChild {
		const entry = this.#admit(ref.server.name);
		const child = new SharedChild({
			id: this.#newId('m-'),
			server: entry.config,
			child: this.#spawn(entry.config, ref.env),
			events: this.events,
			latency: this.latency,
			killGraceMs: this.config.sessions.killGraceMs,
			identityKey: ref.key,
			identityLabel: ref.label,
			codec: this.requestState,
			version: this.#version,
			hooks,
		});
		this.#register(entry, child);
		return child;
	}

	/** `<instance>-<uuid>`: a load balancer routes a session to its instance by this prefix. */
	#newId(kind: string): string {
		const {instanceId} = this.config.http;
		return instanceId === '' ? `${kind}${randomUUID()}` : `${instanceId}-${kind}${randomUUID()}`;
	}

	/** The server's entry if a new child may start for it; else `OpenError`. */
	#admit(serverName: string): ServerEntry {
		if (this.#stopping) throw new OpenError('shutting-down', 'mcpd is shutting down', 5);
		const entry = this.#servers.get(serverName);
		if (!entry) throw new OpenError('unknown-server', `no server named "${serverName}"`);
		const server = entry.config;
		if (!server.enabled) throw new OpenError('disabled', `server "${serverName}" is disabled in the config`);
		if (server.maxSessions > 0 && entry.sessions.size >= server.maxSessions) {
			throw new OpenError('capacity', `server "${serverName}" has its maximum of ${server.maxSessions} sessions`, 5);
		}

		const {maxTotal} = this.config.sessions;
		if (maxTotal > 0 && this.#sessions.size >= maxTotal) {
			throw new OpenError('capacity', `mcpd has its maximum of ${maxTotal} sessions`, 5);
		}

		return entry;
	}

	#spawn(server: ServerConfig, sessionEnv: Record<string, string> | undefined) {
		return spawnChild({
			command: server.command,
			args: server.args,
			cwd: server.cwd,
			env: childEnv(this.parentEnv, {inheritEnv: server.inheritEnv, env: server.env, sessionEnv}),
		});
	}

	#register(entry: ServerEntry, unit: Unit): void {
		entry.sessions.add(unit);
		entry.spawned++;
		this.#sessions.set(unit.id, unit);
		this.events.emit('log', {
			level: 'info',
			message: 'spawned',
			// Not the args: \${env:...} may have put a key there, and logs travel further than configs.
			fields: {server: entry.config.name, session: unit.id, pid: unit.pid, command: entry.config.command, era: unit.info.era},
		});
		this.events.emit('session-opened', {...unit.info});
		void unit.done.then(() => {
			entry.sessions.delete(unit);
			this.#sessions.delete(unit.id);
			this.latency.forgetSession(unit.id);
			if (unit.state === 'crashed') entry.crashes++;
		});
	}

	/** A legacy session by id (modern children are not addressed by clients). */
	get(id: string): Session | undefined {
		const unit = this.#sessions.get(id);
		return unit instanceof Session ? unit : undefined;
	}

	servers(): ServerInfo[] {
		return [...this.#servers.values()].map(entry => ({
			name: entry.config.name,
			state: entry.config.enabled ? 'ready' : 'disabled',
			command: entry.config.command,
			args: entry.config.args,
			sessions: entry.sessions.size,
			crashes: entry.crashes,
			unattributed: entry.unattributed,
			spawned: entry.spawned,
		}));
	}

	serverConfig(name: string): ServerConfig | undefined {
		return this.#servers.get(name)?.config;
	}

	sessions(): SessionInfo[] {
		return [...this.#sessions.values()].map(session => ({...session.info}));
	}

	stderrTail(sessionId: string): StderrLine[] {
		return this.#sessions.get(sessionId)?.stderrLines() ?? [];
	}

	async kill(sessionId: string, options: {force?: boolean; reason?: 'killed' | 'delete'} = {}): Promise<KillResult> {
		const session = this.#sessions.get(sessionId);
		if (!session) return 'not-found';
		await session.close(options.reason ?? 'killed', options.force);
		return 'killed';
	}

	async restartServer(name: string): Promise<number> {
		const entry = this.#servers.get(name);
		if (!entry) return 0;
		const sessions = [...entry.sessions];
		await Promise.all(sessions.map(async session => session.close('restart')));
		return sessions.length;
	}

	/** Stops every child (SIGTERM, then SIGKILL after the grace) and resolves when all are reaped. */
	async shutdown(): Promise<void> {
		this.#stopping ??= (async () => {
			clearInterval(this.#sweeper);
			await Promise.all([...this.#sessions.values()].map(async session => session.close('shutdown')));
		})();
		return this.#stopping;
	}

	#sweep(): void {
		const now = Date.now();
		const {maxAgeMs} = this.config.sessions;
		for (const session of this.#sessions.values()) {
			if (session.state === 'closing') continue;
			if (maxAgeMs > 0 && now - session.info.startedAt > maxAgeMs) {
				void session.close('max-age');
			} else if (session.inFlight === 0 && session.streams === 0 && now - session.info.lastActivity > session.server.idleTimeoutMs) {
				void session.close('idle');
			}
		}
	}
}
