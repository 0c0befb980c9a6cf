import {collectDefaultMetrics, Counter, Gauge, type Metric, Registry} from 'prom-client';
import type {SupervisorPort} from '../core/port.js';
import {readProcStat} from '../lib/proc-stat.js';
import type {CountBy, Tally} from './tally.js';

/**
 Mcpd's Prometheus metrics: the counts of `tally` (kept since mcpd started)
 and, for children's memory and CPU, what /proc says when scraped. Labels
 carry server names, eras, methods and reasons: never a session id, identity
 or any value a client sent. Made by the first scrape, so prom-client's
 own process metrics (GC durations, event-loop lag) are sampled from then on.
 */
export function prometheusMetrics(port: SupervisorPort, tally: Tally): Registry {
	const registry = new Registry();
	collectDefaultMetrics({register: registry, prefix: 'mcpd_'});

	counter(registry, tally.started, {name: 'mcpd_sessions_started_total', help: 'Children started (legacy sessions and modern children), by server and era.', labelNames: ['server', 'era']});
	counter(registry, tally.ended, {name: 'mcpd_sessions_ended_total', help: 'Children ended, by server, era and reason.', labelNames: ['server', 'era', 'reason']});
	// The registry only reads name, help, type and get() of what it is given.
	registry.registerMetric(tally.duration as unknown as Metric);
	counter(registry, tally.undeliverable, {name: 'mcpd_undeliverable_messages_total', help: 'Server messages no open client stream could take.', labelNames: ['server']});
	counter(registry, tally.unattributed, {
		name: 'mcpd_unattributed_input_requests_total', help: 'Input requests of modern children refused because they could not be tied to one call.', labelNames: ['server'],
	});
	counter(registry, tally.quarantines, {name: 'mcpd_quarantines_total', help: 'Times a server was quarantined after failing to start over and over.', labelNames: ['server']});
	counter(registry, tally.reloads, {name: 'mcpd_config_reloads_total', help: 'Configurations applied by a reload.', labelNames: []});
	counter(registry, tally.noise, {name: 'mcpd_stdout_noise_lines_total', help: 'Child stdout lines that were not JSON-RPC.', labelNames: ['server']});

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

	return registry;
}

/**
A prom-client counter that shows what `counts` holds when scraped.
*/
function counter(registry: Registry, counts: CountBy, {name, help, labelNames}: {name: string; help: string; labelNames: string[]}): void {
	registry.registerMetric(new Counter({
		name, help, labelNames, registers: [],
		collect() {
			this.reset();
			for (const {labels, value} of counts.series()) {
				this.inc(labels, value);
			}
		},
	}));
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
