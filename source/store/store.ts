import type {CoreEvents} from '../core/events.js';
import type {SupervisorPort} from '../core/port.js';
import {formatAge, formatBytes, formatCpu} from '../lib/format.js';
import type {ProcReader} from '../lib/proc-stat.js';
import {createThrottle, systemClock, type Clock} from '../lib/throttle.js';
import {DashboardModel, type ModelLimits} from './model.js';
import type {DashboardSnapshot, DashboardStore, LatencySnapshot, LatencySource, Usage} from './types.js';
import {serverTotals, UsageSampler} from './usage-sampler.js';

export type DashboardStoreOptions = {
	supervisor: SupervisorPort;
	latency: LatencySource;
	clock?: Clock;
	/**
	Shortest gap between two notifications; 66 ms keeps renders under ~15/s.
	*/
	frameMs?: number;
	/**
	How often latency numbers and ages are looked at again.
	*/
	tickMs?: number;
	/**
	 Shortest gap between redraws caused by stderr alone, which the tick's figures share: a
	 followed tail reads fine at 4 a second, and each redraw is a whole frame for Ink to lay
	 out (at 5 a second the dashboard's CPU under 1,000 lines/s was 4.5–5.1 % of a core).
	 */
	tailMs?: number;
	/**
	 Samples children's CPU and memory from /proc at every tick (`procReader`);
	 absent, nothing is sampled. Only the dashboard turns it on, so it costs
	 nothing headless.
	 */
	readProcesses?: ProcReader;
} & Partial<ModelLimits>;

const noUsage: ReadonlyMap<string, Usage> = new Map();

/**
Usage as it reads on screen: a new snapshot (and a redraw) only when a figure shown would change.
*/
const usageKey = (usage: ReadonlyMap<string, Usage>): string =>
	[...usage].map(([id, u]) => `${id}:${formatCpu(u.cpu)}:${formatBytes(u.rss)}`).join(' ');

/**
A recorder with nothing in its window and flat series: sampling it again would change nothing.
*/
const isQuiet = (l: LatencySnapshot): boolean =>
	l.overall.count === 0 && Object.values(l.servers).every(s => s.series.every(v => v === 0));

/**
 Folds the supervisor's events into immutable snapshots. Bursts are coalesced
 into one notification per frame, and nothing is notified when nothing changed,
 so `useSyncExternalStore` re-renders only on visible change.
 */
export function createDashboardStore(options: DashboardStoreOptions): DashboardStore {
	const {supervisor, latency, clock = systemClock, frameMs = 66, tickMs = 1000, tailMs = 250} = options;
	const model = new DashboardModel(supervisor, {
		tailLimit: options.tailLimit ?? 500,
		closedLimit: options.closedLimit ?? 20,
		logLimit: options.logLimit ?? 200,
	});
	const listeners = new Set<() => void>();
	let dirty = false;
	let activity = false;
	let disposed = false;
	let tickHandle: unknown;
	/**
	The session whose tail is on screen; undefined until the UI says, and then every tail counts.
	*/
	let watched: string | undefined;
	let watching = false;
	/**
	Lines arrived for tails nobody is looking at: folded in at the next visible change.
	*/
	let hiddenLines = false;
	const sampler = options.readProcesses ? new UsageSampler(options.readProcesses) : undefined;
	let usage = noUsage;
	let serverUsage = noUsage;
	let usageSeen = '';

	let figures = latency();
	let latencyKey = JSON.stringify(figures);

	const build = (): DashboardSnapshot => ({
		now: clock.now(),
		servers: model.servers(),
		sessions: model.sessions(),
		liveSessions: model.liveCount,
		tails: model.tails(),
		log: model.log(),
		latency: figures,
		usage,
		serverUsage,
	});

	let snapshot = build();

	const notify = (): void => {
		for (const listener of listeners) {
			listener();
		}
	};

	const throttle = createThrottle(() => {
		if (!dirty || disposed) {
			return;
		}

		dirty = false;
		tailPending = false;
		tickPending = false;
		snapshot = build();
		notify();
	}, frameMs, clock);

	const changed = (): void => {
		dirty = true;
		activity = true;
		throttle.schedule();
	};

	// A chatty child alone would redraw every frame; its lines also ride along with any other change.
	let tailPending = false;
	/**
	The tick's figures moved and wait for the tail's next turn; any frame built meanwhile carries them.
	*/
	let tickPending = false;
	const tailThrottle = createThrottle(() => {
		if (tailPending) {
			changed();
			return;
		}

		if (!tickPending || dirty || disposed) {
			return;
		}

		tickPending = false;
		snapshot = {
			...snapshot, latency: figures, usage, serverUsage, now: clock.now(),
		};
		notify();
	}, tailMs, clock);

	// Ages are shown to the second under a minute and coarser above; refresh `now` only when one of them would read differently.
	const agesMoved = (now: number): boolean => {
		for (const row of model.liveRows()) {
			if (formatAge(now - row.startedAt) !== formatAge(snapshot.now - row.startedAt)) {
				return true;
			}
		}

		return false;
	};

	/**
	True when a figure on screen would change.
	*/
	const sampleUsage = (now: number): boolean => {
		if (!sampler) {
			return false;
		}

		const pids = new Map<string, number>();
		for (const row of model.liveRows()) {
			if (row.pid !== undefined) {
				pids.set(row.id, row.pid);
			}
		}

		const next = sampler.sample(pids, now);
		const totals = serverTotals(model.liveRows(), next);
		const key = `${usageKey(next)} ${usageKey(totals)}`;
		if (key === usageSeen) {
			return false;
		}

		usageSeen = key;
		usage = next;
		serverUsage = totals;
		return true;
	};

	const tick = (): void => {
		tickHandle = clock.setTimeout(tick, tickMs);
		const now = clock.now();
		let moved = false;
		if (activity || !isQuiet(figures)) {
			activity = false;
			const next = latency();
			const key = JSON.stringify(next);
			if (key !== latencyKey) {
				latencyKey = key;
				figures = next;
				moved = true;
			}
		}

		moved = sampleUsage(now) || moved;
		// A frame already on its way is built from the latest figures and the clock: these ride along with
		// it rather than cost one more (a followed chatty tail has one pending nearly all the time).
		if (dirty || tailPending || (!moved && !agesMoved(now))) {
			return;
		}

		// Otherwise they take the tail's turn: at once when the tail has been quiet, else when its next
		// redraw would be due, so a chatty tail and the tick together stay within 1000 / tailMs frames a second.
		tickPending = true;
		tailThrottle.schedule();
	};

	tickHandle = clock.setTimeout(tick, tickMs);

	const {events} = supervisor;
	const handlers = {
		'config-reloaded'() {
			model.serversChanged(supervisor.servers());
			changed();
		},
		'server-state'(e) {
			model.serverState(e);
			changed();
		},
		'server-prewarm'(e) {
			model.serverPrewarm(e);
			changed();
		},
		'session-opened'(e) {
			model.sessionOpened(e);
			changed();
		},
		'session-state'(e) {
			model.sessionState(e);
			changed();
		},
		'session-closed'(e) {
			model.sessionClosed(e, clock.now());
			changed();
		},
		'request-started'(e) {
			model.requestStarted(e, clock.now());
			changed();
		},
		'request-finished'(e) {
			model.requestFinished(e, clock.now());
			changed();
		},
		stderr(e) {
			if (!model.tailLine(e.sessionId, e.time, e.line)) {
				return;
			}

			// 100 chatty children would otherwise redraw the screen for lines nobody sees.
			if (!watching || e.sessionId === watched) {
				tailPending = true;
				tailThrottle.schedule();
			} else {
				hiddenLines = true;
			}
		},
		'stdout-noise'(e) {
			if (model.tailLine(e.sessionId, clock.now(), `[stdout] ${e.line}`)) {
				changed();
			}
		},
		undeliverable(e) {
			if (model.tailLine(e.sessionId, clock.now(), `[mcpd] undeliverable ${e.method ?? 'response'}: ${e.reason}`)) {
				changed();
			}
		},
		unattributed(e) {
			if (model.tailLine(e.sessionId, clock.now(), `[mcpd] refused ${e.method}: ${e.inFlight} calls in flight, cannot tell which asked`)) {
				changed();
			}
		},
		log(e) {
			model.logLine(e, clock.now());
			changed();
		},
	} satisfies {[K in keyof CoreEvents]: (...args: CoreEvents[K]) => void};

	for (const [name, handler] of Object.entries(handlers)) {
		events.on(name as 'log', handler as (e: unknown) => void);
	}

	return {
		subscribe(listener) {
			listeners.add(listener);
			return () => {
				listeners.delete(listener);
			};
		},
		getSnapshot: () => snapshot,
		watchTail(sessionId) {
			const moved = !watching || sessionId !== watched;
			watching = true;
			watched = sessionId;
			if (!(moved && hiddenLines)) {
				return;
			}

			hiddenLines = false;
			changed();
		},
		dispose() {
			if (disposed) {
				return;
			}

			disposed = true;
			throttle.cancel();
			tailThrottle.cancel();
			clock.clearTimeout(tickHandle);
			for (const [name, handler] of Object.entries(handlers)) {
				events.off(name as 'log', handler as (e: unknown) => void);
			}

			listeners.clear();
		},
	};
}
