/**
 The built-in demo server: what mcpd runs with no config file, spawned as
 `mcpd demo-server`. MCP on stdin/stdout, its own log on stderr.
 */
import {McpServer} from '@modelcontextprotocol/sdk/server/mcp.js';
import {StdioServerTransport} from '@modelcontextprotocol/sdk/server/stdio.js';
import {DEFAULT_AGENT_TIMING, registerDemoAgent, type DemoAgentTiming} from './agent.js';
import {demoLog} from './log.js';
import {registerDemoTools} from './tools.js';

export type DemoServerOptions = {
	/**
	Pace of the demo `run_agent`; default one tick a second, 3 s in all.
	*/
	agent?: Partial<DemoAgentTiming>;
};

/**
Builds the demo server with all its tools, not yet connected.
*/
export function createDemoServer(options: DemoServerOptions = {}): McpServer {
	const server = new McpServer({name: 'mcpd-demo', version: '1.0.0'}, {capabilities: {logging: {}}});
	registerDemoTools(server);
	registerDemoAgent(server, {...DEFAULT_AGENT_TIMING, ...options.agent});
	return server;
}

/**
 Serves the demo on process.stdin/stdout. Resolves when stdin ends (or stdout
 goes away); tool calls still running are aborted then.
 */
export async function runDemoServer(options: DemoServerOptions = {}): Promise<void> {
	const server = createDemoServer(options);
	const transport = new StdioServerTransport();
	const closed = new Promise<void>(resolve => {
		// The SDK's Server is no EventTarget: its close hook is this property.
		// eslint-disable-next-line unicorn/prefer-add-event-listener
		server.server.onclose = resolve;
	});
	server.server.onerror = error => {demoLog(`error: ${error.message}`);
};

	// The SDK's stdio transport does not watch for EOF or a closed stdout.
	const stop = () => void server.close();
	process.stdin.once('end', stop);
	process.stdout.on('error', stop); // EPIPE: the reader went away
	await server.connect(transport);
	demoLog(`ready (pid ${process.pid})`);
	await closed;
	process.stdin.off('end', stop);
	demoLog('stdin closed, exiting');
}
