import type {FastifyInstance} from 'fastify';
import type {SupervisorPort} from '../core/port.js';
import {prometheusMetrics} from '../telemetry/prometheus.js';

/**
`GET /metrics` in the Prometheus text format; behind the token like the MCP routes.
*/
export function metricsRoutes(app: FastifyInstance, port: SupervisorPort): void {
	const registry = prometheusMetrics(port);
	app.get('/metrics', async (_request, reply) => reply.type(registry.contentType).send(await registry.metrics()));
}
