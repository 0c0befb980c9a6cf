import {EventEmitter} from 'node:events';
import type {Config, ServerConfig} from '../config/types.js';
import {crypto} from '../lib/builtins.js';
import type {CoreEvents, ServerInfo, SessionInfo} from './events.js';
import {OpenError, StartDelay} from './errors.js';
import {LatencyRecorder} from './metrics/index.js';
import type {KillResult, StderrLine, SupervisorPort} from './port.js';
import {childEnv} from './process/child-env.js';
import {spawnChild, type Child, type SpawnOptions} from './process/child.js';
import {describeExit} from './process/exit.js';
import {ModernPool, type IdentityRef} from './modern/pool.js';
import {RequestStateCodec} from './modern/request-state.js';
import {SharedChild, type SharedChildHooks} from './modern/shared-child.js';
import {quarantineRefusal, quarantineWarning} from './quarantine.js';
import {EARLY_CRASH_MS, failedStart, ServerHealth} from './server-health.js';
import {Session} from './session.js';
import {replenishAfterAnswer} from './replenish.js';
import {Spares, type SpareDeath} from './spares.js';
import {diffConfig, type ConfigDiff} from './config-diff.js';

const {randomUUID} = crypto;

/**
A legacy session or a modern shared child: both are one process mcpd runs and reaps.
*/
export type Unit = Session | SharedChild;

export type OpenOptions = {
	/**
	Env for this session's child only (from `header_env`); never logged.
	*/
	sessionEnv?: Record<string, string>;
	tag?: string;
	/**
	Gives up waiting out a back-off (the client went away).
	*/
	signal?: AbortSignal;
};

type ServerEntry = {
	config: ServerConfig;
	sessions: Set<Unit>;
	crashes: number;
	spawned: number;
	unattributed: number;
	health: ServerHealth;
	/**
	Tells the dashboard when a quarantine is over.
	*/
	quarantineTimer: NodeJS.Timeout | undefined;
	/**
	Gone from the config on a reload: takes no new sessions; dropped once its sessions have drained.
	*/
	removed: boolean;
	/**
	Children spawned ahead for new legacy sessions (`prewarm`).
	*/
	spares: Spares;
	/**
	Looks again for room to pre-warm, after a back-off or a quarantine.
	*/
	prewarmTimer: NodeJS.Timeout | undefined;
};

/**
 Owns servers and sessions: spawns a child per legacy session and per modern
 identity (or hands a legacy session a pre-warmed spare), reaps idle and old
 ones, and reports everything as typed events. Knows nothing of HTTP or UI.
 */
export class Supervisor implements SupervisorPort {
	readonly events = new EventEmitter<CoreEvents>();
	/**
	Request latency per server, session and method: what `/status` and the dashboard show.
	*/
	readonly latency = new LatencyRecorder();
	readonly #servers = new Map<string, ServerEntry>();
	/**
	Signs the `requestState` of input rounds; a new key each start, so a state never outlives mcpd.
	*/
	readonly requestState: RequestStateCodec;
	/**
	Modern (2026-07-28) children by identity.
	*/
	readonly modern: ModernPool;
	readonly #sessions = new Map<string, Unit>();
	/**
	Children that have run past `EARLY_CRASH_MS` and told their server's health so.
	*/
	readonly #matured = new WeakSet<Unit>();
	#sweeper: NodeJS.Timeout;
	#config: Config;
	readonly #version: string;
	/**
	How a child starts: a process by default, one in memory for unit tests.
	*/
	readonly #startChild: (options: SpawnOptions) => Child;
	#stopping: Promise<void> | undefined;

	constructor(config: Config, readonly parentEnv: NodeJS.ProcessEnv = process.env, version = '0.0.0', startChild = spawnChild) {
		this.#config = config;
		this.#version = version;
		this.#startChild = startChild;
		this.requestState = new RequestStateCodec(config.http.instanceId);
		this.modern = new ModernPool({
			spawn: (ref, hooks) => this.#openShared(ref, hooks),
			wait: async (server, ms) => this.#servers.get(server)?.health.changed(ms),
		});
		// The log, the dashboard's store, the metrics and the agent's ended-session cache all
		// listen to the same events, and tests add their own: past Node's default of 10 is no leak.
		this.events.setMaxListeners(50);
		for (const server of config.servers) {
			this.#servers.set(server.name, this.#newEntry(server));
		}

		this.events.on('unattributed', ({server}) => {
			const entry = this.#servers.get(server);
			if (entry) {
				entry.unattributed++;
			}
		});

		this.#sweeper = this.#startSweeper();
		for (const entry of this.#servers.values()) {
			this.#prewarm(entry);
		}
	}

	/**
	The configuration in force: the one started with, or the last one reloaded.
	*/
	get config(): Config {
		return this.#config;
	}

	/**
	 Applies a new configuration to what is running: added servers serve at
	 once; removed ones take no new sessions while their live ones drain (at
	 `max_age`, on restart or kill); changed ones apply to new sessions and
	 leave any quarantine. `[http]`, `[log]`, `[agent]` and `[web]` settings need a
	 restart: they are kept as they were and named in the result.
	 */
	reload(next: Config): ConfigDiff {
		if (this.#stopping) {
			throw new OpenError('shutting-down', 'mcpd is shutting down', 5);
		}

		const diff = diffConfig(this.#config, next);
		for (const server of next.servers) {
			const entry = this.#servers.get(server.name);
			if (!entry) {
				this.#servers.set(server.name, this.#newEntry(server));
				continue;
			}

			entry.removed = false;
			if (diff.changed.includes(server.name)) {
				entry.config = server;
				entry.health = new ServerHealth(server);
				// Spawned with the old command and env: not what a new session of this config should get.
				void entry.spares.stopAll();
			} else {
				entry.health.lift();
			}

			clearTimeout(entry.quarantineTimer);
			entry.quarantineTimer = undefined;
		}

		for (const name of diff.removed) {
			const entry = this.#servers.get(name)!;
			entry.removed = true;
			this.#dropSpares(entry);
			if (entry.sessions.size === 0) {
				this.#servers.delete(name);
			}
		}

		this.#config = {
			...next, http: this.#config.http, log: this.#config.log, agent: this.#config.agent, web: this.#config.web,
		};
		for (const entry of this.#servers.values()) {
			this.#prewarm(entry);
		}

		clearInterval(this.#sweeper);
		this.#sweeper = this.#startSweeper();
		this.events.emit('config-reloaded', {source: next.source, ...diff});
		return diff;
	}

	/**
	 One sweep for every session instead of a timer each; its period follows
	 the shortest idle timeout so short test timeouts are honoured closely.
	 */
	#startSweeper(): NodeJS.Timeout {
		const {sessions, servers} = this.#config;
		const shortest = Math.min(sessions.idleTimeoutMs, ...servers.map(server => server.idleTimeoutMs));
		const period = Math.min(1000, Math.max(25, Math.floor(shortest / 4)));
		const sweeper = setInterval(() => {
			this.#sweep();
		}, period);
		sweeper.unref();
		return sweeper;
	}

	/**
	 A new legacy session on a pre-warmed spare, or on a child spawned once the
	 server's back-off allows. Throws `OpenError` when refused (quarantine included).
	 */
	async open(serverName: string, options: OpenOptions = {}): Promise<Session> {
		for (;;) {
			try {
				return this.#openNow(serverName, options);
			} catch (error) {
				if (!(error instanceof StartDelay)) {
					throw error;
				}

				// eslint-disable-next-line no-await-in-loop -- waiting out the back-off is the point
				await this.#servers.get(serverName)!.health.changed(error.waitMs, options.signal);
			}
		}
	}

	#openNow(serverName: string, options: OpenOptions): Session {
		const entry = this.#admit(serverName);
		const server = entry.config;
		const id = this.#newId('');
		// A spare has the server's env only: a session with env of its own needs a child of its own.
		const spare = options.sessionEnv === undefined || Object.keys(options.sessionEnv).length === 0 ? entry.spares.take() : undefined;
		if (spare === undefined) {
			this.#makeRoom();
		}

		// The spare's replacement waits for this session's first answer: see `replenishAfterAnswer`.
		const replenish = spare && replenishAfterAnswer(() => {
			this.#prewarm(entry);
		});
		const session = new Session({
			id,
			latency: this.latency,
			server,
			child: spare ?? this.#spawn(server, options.sessionEnv),
			events: this.events,
			killGraceMs: this.config.sessions.killGraceMs,
			tag: options.tag,
			onLive() {
				entry.health.live(id);
				replenish?.answered();
			},
		});
		this.#register(entry, session);
		if (spare !== undefined) {
			this.#sparesChanged(entry);
		}

		return session;
	}

	#openShared(ref: IdentityRef, hooks: SharedChildHooks): SharedChild {
		const entry = this.#admit(ref.server.name);
		this.#makeRoom();
		const id = this.#newId('m-');
		const child = new SharedChild({
			id,
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
			onLive() {
				entry.health.live(id);
			},
		});
		this.#register(entry, child);
		return child;
	}

	/**
	`<instance>-<kind><uuid>` (`kind` is `m-` for a modern child): a load balancer routes a session to its instance by this prefix.
	*/
	#newId(kind: string): string {
		const {instanceId} = this.config.http;
		return instanceId === '' ? `${kind}${randomUUID()}` : `${instanceId}-${kind}${randomUUID()}`;
	}

	/**
	 The server's entry if a new child may start for it now; else `OpenError`,
	 or `StartDelay` while it backs off after failed starts.
	 */
	#admit(serverName: string): ServerEntry {
		if (this.#stopping) {
			throw new OpenError('shutting-down', 'mcpd is shutting down', 5);
		}

		const entry = this.#servers.get(serverName);
		if (!entry) {
			throw new OpenError('unknown-server', `no server named "${serverName}"`);
		}

		if (entry.removed) {
			throw new OpenError('unknown-server', `server "${serverName}" was removed from the config; its live sessions run until they end`);
		}

		const server = entry.config;
		if (!server.enabled) {
			throw new OpenError('disabled', `server "${serverName}" is disabled in the config`);
		}

		const now = Date.now();
		const record = entry.health.snapshot(now);
		if (record.retryAt !== undefined) {
			throw quarantineRefusal(server, {...record, retryAt: record.retryAt}, now);
		}

		if (server.maxSessions > 0 && entry.sessions.size >= server.maxSessions) {
			throw new OpenError('capacity', `server "${serverName}" has its maximum of ${server.maxSessions} sessions`, 5);
		}

		const {maxTotal} = this.config.sessions;
		if (maxTotal > 0 && this.#sessions.size >= maxTotal) {
			throw new OpenError('capacity', `mcpd has its maximum of ${maxTotal} sessions`, 5);
		}

		const wait = entry.health.startWait(now);
		if (wait !== undefined) {
			throw new StartDelay(wait);
		}

		return entry;
	}

	#spawn(server: ServerConfig, sessionEnv: Record<string, string> | undefined) {
		return this.#startChild({
			command: server.command,
			args: server.args,
			cwd: server.cwd,
			env: childEnv(this.parentEnv, {inheritEnv: server.inheritEnv, env: server.env, sessionEnv}),
		});
	}

	#register(entry: ServerEntry, unit: Unit): void {
		entry.sessions.add(unit);
		entry.spawned++;
		entry.health.spawned(unit.id);
		this.#sessions.set(unit.id, unit);
		this.events.emit('log', {
			level: 'info',
			message: 'spawned',
			// Not the args: `${env:...}` may have put a key there, and logs travel further than configs.
			fields: {
				server: entry.config.name, session: unit.id, pid: unit.pid, command: entry.config.command, era: unit.info.era,
			},
		});
		this.events.emit('session-opened', {...unit.info});
		void unit.done.then(() => {
			entry.sessions.delete(unit);
			this.#sessions.delete(unit.id);
			this.latency.forgetSession(unit.id);
			if (unit.state === 'crashed') {
				entry.crashes++;
			}

			this.#judge(entry, unit);
			// A session ending may have made room under max_sessions or max_total.
			this.#prewarmAll();
			if (entry.removed && entry.sessions.size === 0 && this.#servers.get(entry.config.name) === entry) {
				this.#servers.delete(entry.config.name);
			}
		});
	}

	/**
	Tells the server's health how a child's start went, once it has ended.
	*/
	#judge(entry: ServerEntry, unit: Unit): void {
		const now = Date.now();
		const {health} = entry;
		const end = unit.end!;
		health.ended(unit.id);
		if (failedStart({
			reason: end.reason, era: unit.info.era, startedAt: unit.info.startedAt, liveAt: unit.liveAt,
		}, now)) {
			const quarantined = health.failed({at: now, reason: end.detail, stderr: end.stderrTail}, unit.info.startedAt, now);
			if (quarantined) {
				this.#quarantined(entry, now);
			}
		} else if (unit.liveAt !== undefined) {
			health.succeeded();
		}
	}

	/**
	Says so once per quarantine (log and dashboard), and again when it is over.
	*/
	#quarantined(entry: ServerEntry, now: number): void {
		const {name} = entry.config;
		const record = entry.health.snapshot(now);
		const {retryAt} = record;
		if (retryAt === undefined) {
			return;
		}

		this.events.emit('log', quarantineWarning(entry.config, {...record, retryAt}, now));
		this.events.emit('server-state', {server: name, state: 'quarantined', retryAt});
		clearTimeout(entry.quarantineTimer);
		entry.quarantineTimer = setTimeout(() => {
			entry.quarantineTimer = undefined;
			this.events.emit('server-state', {server: name, state: 'ready'});
			this.events.emit('log', {level: 'info', message: 'server out of quarantine: its next child is a trial start', fields: {server: name}});
		}, retryAt - now);
		entry.quarantineTimer.unref();
	}

	/**
	A legacy session by id (modern children are not addressed by clients).
	*/
	get(id: string): Session | undefined {
		const unit = this.#sessions.get(id);
		return unit instanceof Session ? unit : undefined;
	}

	servers(): ServerInfo[] {
		const now = Date.now();
		return [...this.#servers.values()].map(entry => {
			const {failures, retryAt, lastFailure} = entry.health.snapshot(now);
			return {
				name: entry.config.name,
				state: entry.removed ? 'removed' : entry.config.enabled ? (retryAt === undefined ? 'ready' : 'quarantined') : 'disabled',
				command: entry.config.command,
				args: entry.config.argsAsWritten ?? entry.config.args,
				sessions: entry.sessions.size,
				crashes: entry.crashes,
				failures,
				retryAt,
				lastFailure,
				unattributed: entry.unattributed,
				spawned: entry.spawned,
				prewarmed: entry.spares.size,
			};
		});
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
		if (!session) {
			return 'not-found';
		}

		await session.close(options.reason ?? 'killed', options.force);
		return 'killed';
	}

	/**
	Ends every session of the server and lifts its quarantine: whatever was wrong may have been fixed.
	*/
	async restartServer(name: string): Promise<number> {
		const entry = this.#servers.get(name);
		if (!entry) {
			return 0;
		}

		const wasQuarantined = entry.health.retryAt(Date.now()) !== undefined;
		entry.health.lift();
		clearTimeout(entry.quarantineTimer);
		entry.quarantineTimer = undefined;
		if (wasQuarantined) {
			this.events.emit('server-state', {server: name, state: 'ready'});
			this.events.emit('log', {level: 'info', message: 'quarantine lifted', fields: {server: name, by: 'restart'}});
		}

		const sessions = [...entry.sessions];
		// Whatever was fixed may be in the command's files: spares started before the fix are replaced too.
		await Promise.all([...sessions.map(async session => session.close('restart')), entry.spares.stopAll()]);
		this.#sparesChanged(entry);
		this.#prewarm(entry);
		return sessions.length;
	}

	/**
	Stops every child (SIGTERM, then SIGKILL after the grace) and resolves when all are reaped.
	*/
	async shutdown(): Promise<void> {
		this.#stopping ??= (async () => {
			clearInterval(this.#sweeper);
			for (const entry of this.#servers.values()) {
				clearTimeout(entry.quarantineTimer);
				clearTimeout(entry.prewarmTimer);
			}

			await Promise.all([
				...[...this.#sessions.values()].map(async session => session.close('shutdown')),
				...[...this.#servers.values()].map(async entry => entry.spares.stopAll()),
			]);
		})();
		return this.#stopping;
	}

	#newEntry(server: ServerConfig): ServerEntry {
		const entry: ServerEntry = {
			config: server,
			sessions: new Set(),
			crashes: 0,
			spawned: 0,
			unattributed: 0,
			health: new ServerHealth(server),
			quarantineTimer: undefined,
			removed: false,
			// The entry's config, read at each spawn: a reload may have changed it.
			spares: new Spares(() => this.#spawn(entry.config, undefined), this.config.sessions.killGraceMs, death => {
				this.#spareDied(entry, death);
			}),
			prewarmTimer: undefined,
		};
		return entry;
	}

	/**
	Spawns spares until the server has `prewarm` of them, as far as its limits and its health allow.
	*/
	#prewarm(entry: ServerEntry): void {
		clearTimeout(entry.prewarmTimer);
		entry.prewarmTimer = undefined;
		const {config} = entry;
		if (this.#stopping !== undefined || entry.removed || !config.enabled || config.prewarm === 0 || Object.keys(config.headerEnv).length > 0) {
			this.#dropSpares(entry);
			return;
		}

		const before = entry.spares.size;
		// On trial after a failed start, one spare at a time, as for sessions' children.
		const target = entry.health.onTrial ? 1 : config.prewarm;
		entry.spares.trim(target);
		const now = Date.now();
		const wait = entry.health.retryAt(now) === undefined ? entry.health.startWait(now) : entry.health.retryAt(now)! - now;
		if (wait === undefined) {
			while (entry.spares.size < target && this.#hasRoom(entry)) {
				entry.spares.add();
			}
		} else if (entry.spares.size < target) {
			entry.prewarmTimer = setTimeout(() => {
				this.#prewarm(entry);
			}, wait);
			entry.prewarmTimer.unref();
		}

		if (entry.spares.size !== before) {
			this.#sparesChanged(entry);
		}
	}

	#prewarmAll(): void {
		for (const entry of this.#servers.values()) {
			if (entry.config.prewarm > entry.spares.size) {
				this.#prewarm(entry);
			}
		}
	}

	/**
	Spares are processes too: with its sessions, they stay within `max_sessions` and `max_total`.
	*/
	#hasRoom(entry: ServerEntry): boolean {
		const {maxSessions} = entry.config;
		const full = maxSessions > 0 && entry.sessions.size + entry.spares.size >= maxSessions;
		return !full && this.#underMaxTotal();
	}

	/**
	Room under `max_total` for one more process, spares counted.
	*/
	#underMaxTotal(): boolean {
		const {maxTotal} = this.config.sessions;
		return maxTotal === 0 || this.#sessions.size + this.#spareCount() < maxTotal;
	}

	#spareCount(): number {
		let count = 0;
		for (const entry of this.#servers.values()) {
			count += entry.spares.size;
		}

		return count;
	}

	/**
	A session admitted under `max_total` gets its process even if spares of other servers hold the room.
	*/
	#makeRoom(): void {
		if (this.#underMaxTotal()) {
			return;
		}

		let donor: ServerEntry | undefined;
		for (const entry of this.#servers.values()) {
			if (entry.spares.size > 0) {
				donor = entry;
				break;
			}
		}

		if (!donor) {
			return;
		}

		donor.spares.trim(donor.spares.size - 1);
		this.#sparesChanged(donor);
	}

	#dropSpares(entry: ServerEntry): void {
		clearTimeout(entry.prewarmTimer);
		entry.prewarmTimer = undefined;
		if (entry.spares.size === 0) {
			return;
		}

		void entry.spares.stopAll();
		this.#sparesChanged(entry);
	}

	/**
	A spare that dies unasked has failed to start, as a session's child would have.
	*/
	#spareDied(entry: ServerEntry, death: SpareDeath): void {
		const now = Date.now();
		const detail = death.exit.spawnError === undefined ? `exited (${describeExit(death.exit)}) while pre-warmed` : `could not be spawned: ${death.exit.spawnError}`;
		this.events.emit('log', {level: 'warn', message: 'pre-warmed child ended before any session took it', fields: {server: entry.config.name, reason: detail}});
		if (entry.health.failed({at: now, reason: detail, stderr: death.stderr}, death.startedAt, now)) {
			this.#quarantined(entry, now);
		}

		this.#sparesChanged(entry);
		this.#prewarm(entry);
	}

	#sparesChanged(entry: ServerEntry): void {
		this.events.emit('server-prewarm', {server: entry.config.name, prewarmed: entry.spares.size});
	}

	#sweep(): void {
		const now = Date.now();
		const {maxAgeMs} = this.config.sessions;
		for (const session of this.#sessions.values()) {
			if (session.state === 'closing') {
				continue;
			}

			if (session.liveAt !== undefined && now - session.info.startedAt >= EARLY_CRASH_MS && !this.#matured.has(session)) {
				this.#matured.add(session);
				this.#servers.get(session.server.name)?.health.succeeded();
			}

			if (maxAgeMs > 0 && now - session.info.startedAt > maxAgeMs) {
				void session.close('max-age');
			} else if (session.inFlight === 0 && session.streams === 0 && now - session.info.lastActivity > session.server.idleTimeoutMs) {
				void session.close('idle');
			}
		}
	}
}

