/**
 `mcpd ask --start`: a whole mcpd (supervisor + HTTP) inside the command, on
 an ephemeral loopback port, for one call. The agent still goes through HTTP
 like any client, so behaviour matches a running mcpd.
 */
import type {Config} from '../config/types.js';
import {VERSION} from '../version.js';
import {watchEndedSessions} from '../agent/ended-sessions.js';

export type LocalMcpd = {
	base: string;
	/**
	Its enabled servers, in config order.
	*/
	servers: string[];
	stderrOf: (sessionId: string) => string[] | undefined;
	/**
	Stops every child and the listener.
	*/
	stop(): Promise<void>;
};

export async function startLocalMcpd(config: Config): Promise<LocalMcpd> {
	// Loaded here so a plain `mcpd ask` against a running mcpd never loads the server side.
	const [{Supervisor}, {buildApp}] = await Promise.all([import('../core/supervisor.js'), import('../http/app.js')]);
	const local: Config = {...config, http: {...config.http, host: '127.0.0.1', port: 0}};
	const supervisor = new Supervisor(local);
	const ended = watchEndedSessions(supervisor.events);
	const app = buildApp({supervisor, config: local, version: VERSION});
	const stop = async () => {
		ended.dispose();
		await supervisor.shutdown();
		await app.close();
	};

	try {
		await app.listen({host: local.http.host, port: 0});
	} catch (error) {
		await stop();
		throw error;
	}

	const address = app.server.address();
	const port = typeof address === 'object' && address ? address.port : 0;
	const servers = local.servers.filter(server => server.enabled).map(server => server.name);
	return {
		base: `http://127.0.0.1:${port}`, servers, stderrOf: ended.stderrOf, stop,
	};
}
