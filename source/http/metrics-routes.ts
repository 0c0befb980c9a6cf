import type {FastifyInstance} from 'fastify';
import type {Registry} from 'prom-client';
import type {SupervisorPort} from '../core/port.js';
import {tallyEvents} from '../telemetry/tally.js';

/**
`GET /metrics` in the Prometheus text format; behind the token like the MCP routes.
*/
export function metricsRoutes(app: FastifyInstance, port: SupervisorPort): void {
	// Counted from the start; prom-client and its registry wait for the first scrape.
	const tally = tallyEvents(port);
	let registry: Promise<Registry> | undefined;
	app.get('/metrics', async (_request, reply) => {
		registry ??= import('../telemetry/prometheus.js').then(({prometheusMetrics}) => prometheusMetrics(port, tally));
		const ready = await registry;
		return reply.type(ready.contentType).send(await ready.metrics());
	});
}
