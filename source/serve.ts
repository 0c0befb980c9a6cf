import process from 'node:process';
import type {Config} from './config/types.js';
import {commandProblems} from './core/command-check.js';
import {Supervisor} from './core/supervisor.js';
import {attachLogger} from './headless/logger.js';
import {buildApp} from './http/app.js';
import type {PromptController} from './prompt/prompt-controller.js';
import type {Dashboard} from './ui/run.js';
import {bracketHost} from './lib/host.js';
import {shedHeap} from './lib/shed-heap.js';
import {VERSION} from './version.js';
import {reloadConfig, watchConfig} from './reload.js';

export type ServeOptions = {
	/**
	Dashboard on this terminal; otherwise log lines on stdout.
	*/
	interactive: boolean;
	readOnly: boolean;
	/**
	Reads the config again (file, environment, flags), for a reload; absent when it came from no file.
	*/
	reloadConfig?: () => Config;
	/**
	The config file, when `--watch` should reload on every change to it.
	*/
	watch?: string;
	/**
	The dashboard's palette.
	*/
	theme?: 'dark' | 'light';
};

/**
 Runs mcpd until a signal or the dashboard's quit: the one place that wires
 the supervisor, the HTTP app and the screen together and owns process signals.
 */
export async function serve(config: Config, options: ServeOptions): Promise<void> {
	const supervisor = new Supervisor(config, process.env, VERSION);
	const latency = () => supervisor.latency.snapshot();
	const app = buildApp({
		supervisor, config, version: VERSION, latency,
	});
	const logger = attachLogger(supervisor, config.log, options.interactive
		? undefined
		: line => {
			process.stdout.write(line + '\n');
		});

	const reload = (why: string) => {
		reloadConfig(supervisor, options.reloadConfig, why);
	};

	// SIGUSR2 always reloads. SIGHUP reloads a headless mcpd, as daemons do; under the
	// dashboard it still means the terminal (often an SSH session) has gone, so mcpd stops.
	// Before listening: a signal with no handler yet would end the process (its default).
	process.on('SIGUSR2', () => {
		reload('SIGUSR2');
	});
	if (!options.interactive) {
		process.on('SIGHUP', () => {
			reload('SIGHUP');
		});
	}

	// One bad request or child must not take every other session down with the process.
	process.on('uncaughtException', error => {
		logger.log('error', 'uncaught exception', {error: error.stack ?? String(error)});
	});
	process.on('unhandledRejection', reason => {
		logger.log('error', 'unhandled rejection', {error: reason instanceof Error ? reason.stack ?? reason.message : String(reason)});
	});

	try {
		await app.listen({host: config.http.host, port: config.http.port});
	} catch (error) {
		const {code} = (error as NodeJS.ErrnoException);
		const why = code === 'EADDRINUSE' ? `port ${config.http.port} is in use (pick another with --port)` : (error as Error).message;
		process.stderr.write(`mcpd: cannot listen on ${config.http.host}:${config.http.port}: ${why}\n`);
		await supervisor.shutdown();
		process.exitCode = 1;
		return;
	}

	const address = app.server.address();
	const listenPort = typeof address === 'object' && address ? address.port : config.http.port;
	const host = bracketHost(config.http.host);
	const url = `http://${host}:${listenPort}`;
	logger.log('info', 'listening', {url, config: config.source, version: VERSION});
	for (const server of config.servers) {
		logger.log('info', 'server', {name: server.name, endpoint: `${url}/servers/${server.name}/mcp`, enabled: server.enabled});
	}

	if (config.web.enabled) {
		logger.log('info', 'chat page', {url: `${url}/chat/`});
	}

	// The dashboard's prompt pane is a real MCP client of this very mcpd.
	let prompt: PromptController | undefined;
	let dashboard: Dashboard | undefined;
	if (options.interactive) {
		const {createPromptController} = await import('./prompt/prompt-agent.js');
		const {connectableBase} = await import('./agent/endpoint.js');
		const {watchEndedSessions} = await import('./agent/ended-sessions.js');
		const ended = watchEndedSessions(supervisor.events);
		prompt = createPromptController({
			base: connectableBase(config.http.host, listenPort),
			servers: config.servers.filter(server => server.enabled).map(server => server.name),
			agent: config.agent,
			token: config.http.token,
			stderrOf: ended.stderrOf,
		});
	}

	let stopping: Promise<void> | undefined;
	const stop = async (why: string): Promise<void> => {
		stopping ??= (async () => {
			// Give the terminal back first: whatever follows must not draw over a live frame.
			dashboard?.unmount();
			await dashboard?.waitUntilExit().catch(() => {});
			await prompt?.close();
			logger.log('info', 'shutting down', {why, sessions: supervisor.sessions().length});
			// Children first, so requests in flight get their error answers before sockets close.
			await supervisor.shutdown();
			await app.close();
			logger.log('info', 'stopped');
		})();
		return stopping;
	};

	let interrupts = 0;
	const onSignal = (signal: NodeJS.Signals) => {
		if (signal === 'SIGINT' && ++interrupts > 1) {
			// A second Ctrl+C means now: no grace for children.
			for (const session of supervisor.sessions()) {
				void supervisor.kill(session.id, {force: true});
			}
		}

		void stop(signal).then(() => {
			process.exit(0);
		});
	};

	for (const signal of options.interactive ? ['SIGINT', 'SIGTERM', 'SIGHUP'] as const : ['SIGINT', 'SIGTERM'] as const) {
		process.on(signal, onSignal);
	}

	if (options.watch !== undefined) {
		watchConfig(options.watch, () => {
			reload('file changed');
		});
	}

	if (options.interactive) {
		const {runDashboard} = await loadDashboard();
		dashboard = runDashboard({
			supervisor,
			latency,
			prompt,
			info: {version: VERSION, url, readOnly: options.readOnly},
			theme: options.theme,
			onQuit() {
				void stop('quit').then(() => {
					process.exit(0);
				});
			},
		});
	}

	// Told through the supervisor's events, so the dashboard's log shows it as well as the headless one.
	for (const problem of commandProblems(config.servers, process.env)) {
		const {server, command, why, where} = problem;
		supervisor.events.emit('log', {level: 'warn', message: `command ${why}`, fields: command.includes('/') ? {server, command, file: where} : {server, command, path: where}});
	}

	// Start-up is over: what it left in the heap is garbage or here to stay. After the lines above are written.
	setImmediate(shedHeap);
}

/**
 React picks its build when first loaded; the development build checks every
 element and tripled the dashboard's CPU. NODE_ENV is set only around that
 load, so children with `inherit_env` still get mcpd's environment unchanged.
 */
async function loadDashboard(): Promise<typeof import('./ui/run.js')> {
	const previous = process.env.NODE_ENV;
	process.env.NODE_ENV ??= 'production';
	try {
		return await import('./ui/run.js');
	} finally {
		if (previous === undefined) {
			delete process.env.NODE_ENV;
		}
	}
}
