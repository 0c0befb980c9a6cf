import {MAX_MS, bucketIndex} from './histogram.js';
import {HistogramPool} from './pool.js';
import {RollingWindow} from './window.js';

/**
Rolled-up numbers for one key over the window. Durations in ms.
*/
export type Stats = {
	count: number;
	rps: number;
	errorsPerSec: number;
	/**
	Null when the window holds no request.
	*/
	p50: number | null;
	p95: number | null;
	p99: number | null;
	max: number | null;
};

export type SeriesStats = {
	/**
	Requests in each of the last `seriesSeconds` whole seconds, oldest first.
	*/
	series: number[];
} & Stats;

export type ServerStats = {
	/**
	Methods with requests in the window; overflow past the cap is under `other`.
	*/
	methods: Record<string, Stats>;
} & SeriesStats;

/**
Plain data: served as JSON on /status and rendered by the dashboard, so both show the same numbers.
*/
export type MetricsSnapshot = {
	windowSeconds: number;
	overall: SeriesStats;
	/**
	Every server that ever recorded, until `forgetServer`.
	*/
	servers: Record<string, ServerStats>;
	/**
	Sessions with requests in the window; absent means none.
	*/
	sessions: Record<string, Stats>;
};

export type RecorderOptions = {
	/**
	Span of the rolling window, in seconds. Default 60.
	*/
	windowSeconds?: number;
	/**
	Length of the sparkline series; below `windowSeconds`. Default 30.
	*/
	seriesSeconds?: number;
	/**
	Distinct method names kept per server; later ones share `other`. Default 64.
	*/
	maxMethodsPerServer?: number;
};

/**
Where methods past the cap are counted.
*/
export const OTHER_METHOD = 'other';

const QUANTILES = [0.5, 0.95, 0.99] as const;

/**
 Monotonic epoch ms: a wall-clock step back would otherwise make every new
 record look older than the window and drop it until the clock caught up.
 */
function clock(): number {
	return performance.timeOrigin + performance.now();
}

/**
Three significant digits, whole numbers from 100 up: the histogram is good to ~1.6 %, so more digits would be noise.
*/
function round(value: number): number {
	return value >= 100 ? Math.round(value) : Number(value.toPrecision(3));
}

type ServerEntry = {
	window: RollingWindow;
	methods: Map<string, RollingWindow>;
	/**
	Second of the last search for an idle method to evict, so a flood of new names scans once a second at most.
	*/
	evictScan: number;
};

/**
 Request latency and rate per server, per method of a server, per session
 and overall. `record` is O(1) and allocation-free once a key has been seen
 (typed-array increments into a second's slot); the rolling-up happens in
 `snapshot`.
 */
export class LatencyRecorder {
	readonly #windowSeconds: number;
	readonly #seriesSeconds: number;
	readonly #maxMethods: number;
	readonly #pool = new HistogramPool();
	readonly #overall: RollingWindow;
	readonly #servers = new Map<string, ServerEntry>();
	readonly #sessions = new Map<string, RollingWindow>();
	/**
	Earliest time seen, so rates in the first minute divide by the time actually covered.
	*/
	#since: number;

	constructor(options: RecorderOptions = {}) {
		const {windowSeconds = 60, seriesSeconds = 30, maxMethodsPerServer = 64} = options;
		if (!Number.isInteger(windowSeconds) || windowSeconds < 2) {
			throw new RangeError(`windowSeconds must be an integer >= 2, got ${windowSeconds}`);
		}

		if (!Number.isInteger(seriesSeconds) || seriesSeconds < 1 || seriesSeconds >= windowSeconds) {
			throw new RangeError(`seriesSeconds must be an integer in [1, windowSeconds), got ${seriesSeconds}`);
		}

		if (!Number.isInteger(maxMethodsPerServer) || maxMethodsPerServer < 1) {
			throw new RangeError(`maxMethodsPerServer must be an integer >= 1, got ${maxMethodsPerServer}`);
		}

		this.#windowSeconds = windowSeconds;
		this.#seriesSeconds = seriesSeconds;
		this.#maxMethods = maxMethodsPerServer;
		this.#overall = this.#newWindow();
		this.#since = clock();
	}

	/**
	One finished request. `now` is epoch ms, as from the default clock.
	*/
	record(server: string, sessionId: string, method: string, durationMs: number, ok: boolean, now: number = clock()): void {
		if (now < this.#since) {
			this.#since = now;
		}

		// NaN and negatives would poison min/max; bucketIndex already treats them as 0.
		const ms = durationMs >= 0 ? Math.min(durationMs, MAX_MS) : 0;
		const bucket = bucketIndex(ms);
		const micros = Math.round(ms * 1000);
		const second = Math.floor(now / 1000);

		let entry = this.#servers.get(server);
		if (entry === undefined) {
			entry = {window: this.#newWindow(), methods: new Map(), evictScan: -Infinity};
			this.#servers.set(server, entry);
		}

		let session = this.#sessions.get(sessionId);
		if (session === undefined) {
			session = this.#newWindow();
			this.#sessions.set(sessionId, session);
		}

		this.#overall.add(second, micros, bucket, ok);
		entry.window.add(second, micros, bucket, ok);
		this.#methodWindow(entry, method, second).add(second, micros, bucket, ok);
		session.add(second, micros, bucket, ok);
	}

	/**
	Drops a closed session's numbers at once.
	*/
	forgetSession(id: string): void {
		this.#sessions.get(id)?.release();
		this.#sessions.delete(id);
	}

	/**
	Drops a server removed from the configuration; its requests stay in `overall` until they age out.
	*/
	forgetServer(name: string): void {
		const entry = this.#servers.get(name);
		if (entry === undefined) {
			return;
		}

		entry.window.release();
		for (const window of entry.methods.values()) {
			window.release();
		}

		this.#servers.delete(name);
	}

	/**
	Rolls everything up as of `now` (epoch ms). Also reclaims sessions and methods idle for a whole window.
	*/
	snapshot(now: number = clock()): MetricsSnapshot {
		if (now < this.#since) {
			this.#since = now;
		}

		const second = Math.floor(now / 1000);
		// The slots span the window's whole seconds but the newest only up to
		// `now`, and nothing before `since` was watched.
		const span = Math.max(1, Math.min(this.#windowSeconds - 1 + (now - second * 1000) / 1000, (now - this.#since) / 1000));

		const servers: Array<[string, ServerStats]> = [];
		for (const [name, entry] of this.#servers) {
			const methods: Array<[string, Stats]> = [];
			for (const [method, window] of entry.methods) {
				if (this.#idle(window, second)) {
					window.release();
					entry.methods.delete(method);
				} else {
					methods.push([method, this.#stats(window, second, span)]);
				}
			}

			servers.push([name, {
				...this.#stats(entry.window, second, span),
				series: entry.window.series(this.#seriesSeconds),
				methods: Object.fromEntries(methods),
			}]);
		}

		const sessions: Array<[string, Stats]> = [];
		for (const [id, window] of this.#sessions) {
			// Also the backstop for a request that finished after forgetSession.
			if (this.#idle(window, second)) {
				window.release();
				this.#sessions.delete(id);
			} else {
				sessions.push([id, this.#stats(window, second, span)]);
			}
		}

		return {
			windowSeconds: this.#windowSeconds,
			overall: {...this.#stats(this.#overall, second, span), series: this.#overall.series(this.#seriesSeconds)},
			// FromEntries defines own properties, so a method named `__proto__` is just a key.
			servers: Object.fromEntries(servers),
			sessions: Object.fromEntries(sessions),
		};
	}

	#newWindow(): RollingWindow {
		return new RollingWindow(this.#windowSeconds, this.#pool);
	}

	#idle(window: RollingWindow, second: number): boolean {
		return window.lastSecond <= second - this.#windowSeconds;
	}

	#methodWindow(entry: ServerEntry, method: string, second: number): RollingWindow {
		const known = entry.methods.get(method);
		if (known !== undefined) {
			return known;
		}

		const named = entry.methods.size - (entry.methods.has(OTHER_METHOD) ? 1 : 0);
		if (named < this.#maxMethods) {
			const window = this.#newWindow();
			entry.methods.set(method, window);
			return window;
		}

		// A name that went quiet for a whole window gives its place to a new
		// one, so early junk cannot push real methods into `other` for good.
		if (entry.evictScan !== second) {
			entry.evictScan = second;
			for (const [name, window] of entry.methods) {
				if (name !== OTHER_METHOD && this.#idle(window, second)) {
					entry.methods.delete(name);
					// Idle means its slots are all stale; the next add expires them.
					entry.methods.set(method, window);
					return window;
				}
			}
		}

		let other = entry.methods.get(OTHER_METHOD);
		if (other === undefined) {
			other = this.#newWindow();
			entry.methods.set(OTHER_METHOD, other);
		}

		return other;
	}

	#stats(window: RollingWindow, second: number, span: number): Stats {
		window.advance(second);
		const extremes = window.extremes();
		const [p50, p95, p99] = extremes === undefined ? [] : window.quantiles(QUANTILES, extremes.min);
		// Bucket midpoints can overshoot the data; the exact extremes bound them.
		const clamp = (value: number | undefined): number | null =>
			value === undefined || extremes === undefined ? null : round(Math.min(extremes.max, Math.max(extremes.min, value)));
		return {
			count: window.count,
			rps: round(window.count / span),
			errorsPerSec: round(window.errors / span),
			p50: clamp(p50),
			p95: clamp(p95),
			p99: clamp(p99),
			max: extremes === undefined ? null : round(extremes.max),
		};
	}
}
