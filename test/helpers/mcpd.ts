/**
 Starts a real mcpd HTTP stack (supervisor + fastify on an ephemeral port) in
 this process, for tests that drive it with real clients and real children.
 */
import {after, before} from 'node:test';
import {fileURLToPath} from 'node:url';
import {Client} from '@modelcontextprotocol/sdk/client/index.js';
import {StreamableHTTPClientTransport} from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import {Client as ModernClient, StreamableHTTPClientTransport as ModernTransport} from '@modelcontextprotocol/client';
import type {FastifyInstance} from 'fastify';
import {defaultConfig, serverDefaults} from '../../source/config/load.js';
import type {Config, ServerConfig} from '../../source/config/types.js';
import {Supervisor} from '../../source/core/supervisor.js';
import {buildApp} from '../../source/http/app.js';
import {assertNoNewChildren, descendants} from './processes.js';

export const FIXTURE = fileURLToPath(new URL('../fixtures/fixture-server.mjs', import.meta.url));
export const AGENT_FIXTURE = fileURLToPath(new URL('../fixtures/agent-server.mjs', import.meta.url));

/**
The agent fixture, fast: a log every 50 ms, the answer after 400 ms, no API key needed.
*/
export const agentArgs = (...extra: string[]) => [AGENT_FIXTURE, '--tick-ms', '50', '--run-ms', '400', '--no-key-check', ...extra];

/**
This process's environment without the agent's API keys, for the "no key" paths.
*/
export const {OPENAI_API_KEY: _openai, GEMINI_API_KEY: _gemini, ...envWithoutKeys} = process.env;

/**
A server with the schema's defaults, running the fixture unless told otherwise.
*/
export function server(name: string, overrides: Partial<ServerConfig> = {}): ServerConfig {
	return {...serverDefaults(name, process.execPath, [FIXTURE]), ...overrides};
}

/**
An agent that answers, one that takes 20 s, one whose API key is missing, and a plain server beside them.
*/
export const agentServers = (): ServerConfig[] => [
	server('fs', {args: [FIXTURE]}),
	server('agent', {args: agentArgs()}),
	server('slow', {args: agentArgs('--run-ms', '20000')}),
	server('nokey', {args: [AGENT_FIXTURE]}),
];

/**
The schema's defaults, on an ephemeral port and without the global session cap.
*/
export function testConfig(servers: ServerConfig[], overrides: {http?: Partial<Config['http']>; sessions?: Partial<Config['sessions']>} = {}): Config {
	const base = defaultConfig(servers, '<test>');
	return {
		...base,
		http: {...base.http, port: 0, ...overrides.http},
		sessions: {
			...base.sessions, maxTotal: 0, maxAgeMs: 0, ...overrides.sessions,
		},
	};
}

export type Running = {
	supervisor: Supervisor;
	app: FastifyInstance;
	base: string;
	url(server?: string): URL;
	client(server?: string, options?: {headers?: Record<string, string>; name?: string}): Promise<{client: Client; transport: StreamableHTTPClientTransport}>;
	close(): Promise<void>;
};

export async function startMcpd(config: Config, env: NodeJS.ProcessEnv = process.env): Promise<Running> {
	const supervisor = new Supervisor(config, env, '0.0.0-test');
	const app = buildApp({
		supervisor, config, version: '0.0.0-test', latency: () => supervisor.latency.snapshot(),
	});
	await app.listen({host: config.http.host, port: config.http.port});
	const address = app.server.address();
	if (address === null || typeof address === 'string') {
		throw new Error('no address');
	}

	const base = `http://127.0.0.1:${address.port}`;
	const clients: Client[] = [];
	const url = (name?: string) => new URL(name === undefined ? '/mcp' : `/servers/${name}/mcp`, base);
	return {
		supervisor,
		app,
		base,
		url,
		async client(name, options = {}) {
			const transport = new StreamableHTTPClientTransport(url(name), {requestInit: {headers: options.headers ?? {}}});
			const client = new Client({name: options.name ?? 'test-client', version: '1.0.0'}, {capabilities: {sampling: {}, roots: {}}});
			await client.connect(transport);
			clients.push(client);
			return {client, transport};
		},
		async close() {
			await Promise.allSettled(clients.map(async client => client.close()));
			await supervisor.shutdown();
			await app.close();
		},
	};
}

export const CONFORMANCE_FIXTURE = fileURLToPath(new URL('../fixtures/conformance-server.mjs', import.meta.url));

/**
A `@modelcontextprotocol/client` 2.x client pinned to 2026-07-28: no `initialize`, every request carries `_meta`.
*/
export async function modernClient(url: URL, options: {headers?: Record<string, string>; name?: string; capabilities?: ModernCapabilities} = {}) {
	const transport = new ModernTransport(url, {requestInit: {headers: options.headers ?? {}}});
	const client = new ModernClient({name: options.name ?? 'modern-test', version: '2.0.0'}, {
		capabilities: options.capabilities ?? {},
		versionNegotiation: {mode: {pin: '2026-07-28'}},
	});
	await client.connect(transport);
	return client;
}

type ModernCapabilities = NonNullable<ConstructorParameters<typeof ModernClient>[1]>['capabilities'];

/**
 The mcpd of a describe block: started before its tests, closed after them, then checked
 to have left no child behind. Reads through to the running one, which exists only once
 the block's `before` has run.
 */
export function mcpdForSuite(config: () => Config): Running {
	let running: Running | undefined;
	let childrenBefore: number[] = [];
	before(async () => {
		childrenBefore = descendants();
		running = await startMcpd(config());
	});
	after(async () => {
		await running?.close();
		await assertNoNewChildren(childrenBefore);
	});
	return new Proxy({} as Running, {
		get(_target, key) {
			if (!running) {
				throw new Error('mcpd is started in the suite\'s before hook; read it from a test');
			}

			return Reflect.get(running, key) as unknown;
		},
	});
}
