import type {SupervisorPort} from '../core/port.js';
import {DurationHistogram} from './duration-histogram.js';

/**
 Methods a label may name; anything else a client sends counts as `other`,
 so a client inventing method names cannot grow the series without bound.
 */
const METHODS = new Set([
	'initialize',
	'ping',
	'tools/list',
	'tools/call',
	'prompts/list',
	'prompts/get',
	'resources/list',
	'resources/read',
	'resources/templates/list',
	'resources/subscribe',
	'resources/unsubscribe',
	'completion/complete',
	'logging/setLevel',
	'server/discover',
	'subscriptions/listen',
]);

/**
Request durations in seconds: sub-millisecond relays up to agent runs of minutes.
*/
const BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300];

export type Series = {labels: Record<string, string>; value: number};

/**
A counter per combination of label values, with nothing of prom-client: the values are given in the same order every time.
*/
export class CountBy {
	readonly #series = new Map<string, Series>();

	inc(labels: Record<string, string> = {}): void {
		const key = Object.values(labels).join('\n');
		const series = this.#series.get(key);
		if (series) {
			series.value++;
		} else {
			this.#series.set(key, {labels, value: 1});
		}
	}

	series(): Iterable<Series> {
		return this.#series.values();
	}
}

export type Tally = {
	started: CountBy;
	ended: CountBy;
	duration: DurationHistogram;
	undeliverable: CountBy;
	unattributed: CountBy;
	quarantines: CountBy;
	reloads: CountBy;
	noise: CountBy;
};

/**
 What the Prometheus counters report, counted from mcpd's start by the
 supervisor's events (never by the hot path itself). prom-client itself is
 loaded only by the first scrape: a headless mcpd nobody scrapes is spared
 its 4 MB of resident memory, and a scrape still sees every count.
 */
export function tallyEvents(port: SupervisorPort): Tally {
	const tally: Tally = {
		started: new CountBy(),
		ended: new CountBy(),
		duration: new DurationHistogram('mcpd_request_duration_seconds', 'Time from a request reaching mcpd to its answer, by server, method and outcome.', BUCKETS),
		undeliverable: new CountBy(),
		unattributed: new CountBy(),
		quarantines: new CountBy(),
		reloads: new CountBy(),
		noise: new CountBy(),
	};
	const eras = new Map<string, string>();
	const {events} = port;
	events.on('session-opened', info => {
		eras.set(info.id, info.era);
		tally.started.inc({server: info.server, era: info.era});
	});
	events.on('session-closed', event => {
		const era = eras.get(event.id) ?? 'legacy';
		eras.delete(event.id);
		tally.ended.inc({server: event.server, era, reason: event.reason});
	});
	events.on('request-finished', event => {
		tally.duration.observe(event.server, METHODS.has(event.method) ? event.method : 'other', event.outcome, event.durationMs / 1000);
	});
	events.on('undeliverable', event => {
		tally.undeliverable.inc({server: event.server});
	});
	events.on('unattributed', event => {
		tally.unattributed.inc({server: event.server});
	});
	events.on('server-state', event => {
		if (event.state === 'quarantined') {
			tally.quarantines.inc({server: event.server});
		}
	});
	events.on('config-reloaded', () => {
		tally.reloads.inc();
	});
	events.on('stdout-noise', event => {
		tally.noise.inc({server: event.server});
	});
	return tally;
}
