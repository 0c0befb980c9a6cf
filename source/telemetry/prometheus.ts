import {collectDefaultMetrics, Counter, Gauge, type Metric, Registry} from 'prom-client';
import type {SupervisorPort} from '../core/port.js';
import {readProcStat} from '../lib/proc-stat.js';
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

/**
 Mcpd's Prometheus metrics, fed by the supervisor's events (never by the
 hot path itself) and, for children's memory and CPU, read from /proc when
 scraped. Labels carry server names, eras, methods and reasons: never a
 session id, identity or any value a client sent.
 */
export function prometheusMetrics(port: SupervisorPort): Registry {
	const registry = new Registry();
	collectDefaultMetrics({register: registry, prefix: 'mcpd_'});
	const eras = new Map<string, {server: string; era: string}>();

	const started = new Counter({
		name: 'mcpd_sessions_started_total', help: 'Children started (legacy sessions and modern children), by server and era.', labelNames: ['server', 'era'], registers: [registry],
	});
	const ended = new Counter({
		name: 'mcpd_sessions_ended_total', help: 'Children ended, by server, era and reason.', labelNames: ['server', 'era', 'reason'], registers: [registry],
	});
	const duration = new DurationHistogram('mcpd_request_duration_seconds', 'Time from a request reaching mcpd to its answer, by server, method and outcome.', BUCKETS);
	// The registry only reads name, help, type and get() of what it is given.
	registry.registerMetric(duration as unknown as Metric);
	const undeliverable = new Counter({
		name: 'mcpd_undeliverable_messages_total', help: 'Server messages no open client stream could take.', labelNames: ['server'], registers: [registry],
	});
	const unattributed = new Counter({
		name: 'mcpd_unattributed_input_requests_total', help: 'Input requests of modern children refused because they could not be tied to one call.', labelNames: ['server'], registers: [registry],
	});
	const quarantines = new Counter({
		name: 'mcpd_quarantines_total', help: 'Times a server was quarantined after failing to start over and over.', labelNames: ['server'], registers: [registry],
	});
	const reloads = new Counter({name: 'mcpd_config_reloads_total', help: 'Configurations applied by a reload.', registers: [registry]});
	const noise = new Counter({
		name: 'mcpd_stdout_noise_lines_total', help: 'Child stdout lines that were not JSON-RPC.', labelNames: ['server'], registers: [registry],
	});

	registry.registerMetric(new Gauge({
		name: 'mcpd_sessions', help: 'Live children (legacy sessions and modern children), by server and era.', labelNames: ['server', 'era'], registers: [],
		collect() {
			this.reset();
			for (const server of port.servers()) {
				this.set({server: server.name, era: 'legacy'}, 0);
				this.set({server: server.name, era: 'modern'}, 0);
			}

			for (const session of port.sessions()) {
				this.inc({server: session.server, era: session.era});
			}
		},
	}));
	registry.registerMetric(new Gauge({
		name: 'mcpd_children_resident_memory_bytes', help: 'Resident memory of the children of each server, read from /proc when scraped.', labelNames: ['server'], registers: [],
		collect() {
			this.reset();
			for (const [server, usage] of usageByServer(port)) {
				this.set({server}, usage.rss);
			}
		},
	}));
	registry.registerMetric(new Gauge({
		name: 'mcpd_children_cpu_seconds', help: 'CPU time used so far by the live children of each server, read from /proc when scraped.', labelNames: ['server'], registers: [],
		collect() {
			this.reset();
			for (const [server, usage] of usageByServer(port)) {
				this.set({server}, usage.cpuSeconds);
			}
		},
	}));

	const {events} = port;
	events.on('session-opened', info => {
		eras.set(info.id, {server: info.server, era: info.era});
		started.inc({server: info.server, era: info.era});
	});
	events.on('session-closed', event => {
		const era = eras.get(event.id)?.era ?? 'legacy';
		eras.delete(event.id);
		ended.inc({server: event.server, era, reason: event.reason});
	});
	events.on('request-finished', event => {
		duration.observe(event.server, METHODS.has(event.method) ? event.method : 'other', event.outcome, event.durationMs / 1000);
	});
	events.on('undeliverable', event => {
		undeliverable.inc({server: event.server});
	});
	events.on('unattributed', event => {
		unattributed.inc({server: event.server});
	});
	events.on('server-state', event => {
		if (event.state === 'quarantined') {
			quarantines.inc({server: event.server});
		}
	});
	events.on('config-reloaded', () => {
		reloads.inc();
	});
	events.on('stdout-noise', event => {
		noise.inc({server: event.server});
	});
	return registry;
}

/**
Per server: resident bytes and CPU seconds of its live children, summed.
*/
function usageByServer(port: SupervisorPort): Map<string, {rss: number; cpuSeconds: number}> {
	const usage = new Map<string, {rss: number; cpuSeconds: number}>();
	for (const server of port.servers()) {
		usage.set(server.name, {rss: 0, cpuSeconds: 0});
	}

	for (const session of port.sessions()) {
		if (session.pid === undefined) {
			continue;
		}

		const sample = readProcStat(session.pid);
		const entry = usage.get(session.server);
		if (!sample || !entry) {
			continue;
		}

		entry.rss += sample.rss;
		entry.cpuSeconds += sample.cpuSeconds;
	}

	return usage;
}
