import type {FastifyInstance} from 'fastify';
import type {SupervisorPort} from '../core/port.js';

export type StatusSource = {
	port: SupervisorPort;
	version: string;
	startedAt: number;
	/**
	Latency figures, the same object the dashboard renders.
	*/
	latency?: () => unknown;
	isClosing: () => boolean;
};

/**
`/healthz` for probes (never behind the token) and `/status` for people and scripts.
*/
export function statusRoutes(app: FastifyInstance, source: StatusSource): void {
	app.get('/healthz', async (_request, reply) => source.isClosing() ? reply.code(503).send({status: 'closing'}) : {status: 'ok'});

	app.get('/status', async () => {
		const now = Date.now();
		return {
			version: source.version,
			uptimeSeconds: Math.round((now - source.startedAt) / 1000),
			servers: source.port.servers(),
			sessions: source.port.sessions().map(session => ({
				...session,
				ageSeconds: Math.round((now - session.startedAt) / 1000),
			})),
			latency: source.latency?.(),
		};
	});
}
