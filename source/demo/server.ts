/**
 The built-in demo server: what mcpd runs with no config file, spawned as
 `mcpd demo-server`. MCP on stdin/stdout, its own log on stderr. Hand-written
 on Node alone (see `stdio-rpc.ts`), so a demo session starts about as fast as
 `node` itself.
 */
import {checkArgs, inputSchema} from './args.js';
import {DEFAULT_AGENT_TIMING, demoAgent, type DemoAgentTiming} from './agent.js';
import {demoLog} from './log.js';
import {fail, type Id, type Incoming, notify, reply, serveStdio} from './stdio-rpc.js';
import type {DemoTool, ToolCall} from './tool.js';
import {demoTools} from './tools.js';

export type DemoServerOptions = {
	/**
	Pace of the demo `run_agent`; default one tick a second, 3 s in all.
	*/
	agent?: Partial<DemoAgentTiming>;
};

const LATEST_VERSION = '2025-11-25';
const SUPPORTED_VERSIONS = new Set([LATEST_VERSION, '2025-06-18', '2025-03-26', '2024-11-05', '2024-10-07']);
const LEVELS = ['debug', 'info', 'notice', 'warning', 'error', 'critical', 'alert', 'emergency'];
const METHOD_NOT_FOUND = -32_601;
const INVALID_PARAMS = -32_602;

const errorResult = (text: string) => ({content: [{type: 'text', text}], isError: true});

/**
 Serves the demo on process.stdin/stdout. Resolves when stdin ends (or stdout
 goes away); tool calls still running are aborted then.
 */
export async function runDemoServer(options: DemoServerOptions = {}): Promise<void> {
	const tools = new Map<string, DemoTool>([...demoTools, demoAgent({...DEFAULT_AGENT_TIMING, ...options.agent})].map(tool => [tool.name, tool]));
	const listed = [...tools.values()].map(tool => ({
		name: tool.name, description: tool.description, inputSchema: inputSchema(tool.fields), execution: {taskSupport: 'forbidden'},
	}));
	/**
	Calls in flight, so that notifications/cancelled can stop them.
	*/
	const running = new Map<Id, AbortController>();
	/**
	Set by logging/setLevel: logs below it are not sent.
	*/
	let minLevel = 0;

	const call = async (id: Id, params: Record<string, unknown>) => {
		const name = String(params.name);
		const tool = tools.get(name);
		if (!tool) {
			reply(id, errorResult(`MCP error ${INVALID_PARAMS}: Tool ${name} not found`));
			return;
		}

		const checked = checkArgs(tool.fields, params.arguments);
		if ('problem' in checked) {
			reply(id, errorResult(`MCP error ${INVALID_PARAMS}: Input validation error: Invalid arguments for tool ${name}: ${checked.problem}`));
			return;
		}

		const controller = new AbortController();
		running.set(id, controller);
		const progressToken = (params._meta as {progressToken?: unknown} | undefined)?.progressToken;
		const context: ToolCall = {
			signal: controller.signal,
			progress(progress, total, message) {
				if (progressToken !== undefined) {
					notify('notifications/progress', {
						progressToken, progress, total, ...(message !== undefined && {message}),
					});
				}
			},
			log(level, logger, data) {
				if (LEVELS.indexOf(level) >= minLevel) {
					notify('notifications/message', {level, logger, data});
				}
			},
		};
		try {
			const text = await tool.run(checked.values, context);
			if (!controller.signal.aborted) {
				reply(id, {content: [{type: 'text', text}]});
			}
		} catch (error) {
			// A cancelled request is never answered (spec).
			if (!controller.signal.aborted) {
				reply(id, errorResult((error as Error).message));
			}
		} finally {
			running.delete(id);
		}
	};

	const request = (id: Id, method: string, params: Record<string, unknown>) => {
		switch (method) {
			case 'initialize': {
				const asked = params.protocolVersion;
				reply(id, {
					protocolVersion: typeof asked === 'string' && SUPPORTED_VERSIONS.has(asked) ? asked : LATEST_VERSION,
					capabilities: {logging: {}, tools: {listChanged: true}},
					serverInfo: {name: 'mcpd-demo', version: '1.0.0'},
				});
				return;
			}

			case 'ping': {
				reply(id, {});
				return;
			}

			case 'tools/list': {
				reply(id, {tools: listed});
				return;
			}

			case 'tools/call': {
				void call(id, params);
				return;
			}

			case 'logging/setLevel': {
				const level = LEVELS.indexOf(String(params.level));
				if (level === -1) {
					fail(id, INVALID_PARAMS, `Invalid level: ${String(params.level)} (one of ${LEVELS.join(', ')})`);
					return;
				}

				minLevel = level;
				reply(id, {});
				return;
			}

			default: {
				fail(id, METHOD_NOT_FOUND, 'Method not found');
			}
		}
	};

	const message = ({id, method, params = {}}: Incoming) => {
		// Responses (the demo asks the client nothing) and junk without a method.
		if (typeof method !== 'string') {
			return;
		}

		if (id !== undefined && id !== null) {
			request(id, method, params);
		} else if (method === 'notifications/cancelled') {
			running.get(params.requestId as Id)?.abort(params.reason);
		}
	};

	let closed!: () => void;
	// eslint-disable-next-line unicorn/prefer-promise-with-resolvers -- the es2023 lib this project compiles against has no Promise.withResolvers
	const done = new Promise<void>(resolve => {
		closed = resolve;
	});
	const stop = serveStdio({
		message,
		garbage(error) {
			demoLog(`error: ${error.message}`);
		},
		closed() {
			for (const controller of running.values()) {
				controller.abort();
			}

			closed();
		},
	});
	demoLog(`ready (pid ${process.pid})`);
	await done;
	stop();
	demoLog('stdin closed, exiting');
}
