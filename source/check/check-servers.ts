import {Client} from '@modelcontextprotocol/sdk/client/index.js';
import {StdioClientTransport} from '@modelcontextprotocol/sdk/client/stdio.js';
import type {Config, ServerConfig} from '../config/types.js';
import {childEnv} from '../core/process/child-env.js';

export type CheckResult = {
	server: string;
	/**
	`disabled`: in the config with `enabled = false`, not started.
	*/
	status: 'ok' | 'failed' | 'disabled';
	/**
	Milliseconds from spawn to the answer of `initialize`.
	*/
	startMs: number | undefined;
	tools: number | undefined;
	error: string | undefined;
	/**
	The child's last stderr lines, for a failure.
	*/
	stderr: string[];
};

const STDERR_LINES = 5;

/**
 Starts each enabled server once, as mcpd would (same command, cwd and env
 allow-list), initializes it and lists its tools: what a person wants to know
 before pointing clients at a new config.
 */
export async function checkServers(config: Config, parentEnv: NodeJS.ProcessEnv, version: string): Promise<CheckResult[]> {
	return Promise.all(config.servers.map(async server => server.enabled
		? checkServer(server, parentEnv, version)
		: {
			server: server.name, status: 'disabled' as const, startMs: undefined, tools: undefined, error: undefined, stderr: [],
		}));
}

async function checkServer(server: ServerConfig, parentEnv: NodeJS.ProcessEnv, version: string): Promise<CheckResult> {
	const transport = new StdioClientTransport({
		command: server.command,
		args: server.args,
		cwd: server.cwd,
		env: childEnv(parentEnv, {inheritEnv: server.inheritEnv, env: server.env}),
		stderr: 'pipe',
	});
	let stderr = '';
	transport.stderr?.on('data', (chunk: Buffer) => {
		stderr = (stderr + chunk.toString('utf8')).slice(-16_384);
	});
	const client = new Client({name: 'mcpd check', version});
	const started = performance.now();
	const timeout = Math.min(server.requestTimeoutMs, 60_000);
	let startMs: number | undefined;
	try {
		await client.connect(transport, {timeout});
		startMs = performance.now() - started;
		const tools = client.getServerCapabilities()?.tools ? (await client.listTools(undefined, {timeout})).tools.length : 0;
		return {
			server: server.name, status: 'ok', startMs, tools, error: undefined, stderr: [],
		};
	} catch (error) {
		// The SDK reports a child that exited before answering as a closed connection.
		const message = (error as Error).message.includes('Connection closed') ? 'exited before answering initialize' : (error as Error).message;
		return {
			server: server.name, status: 'failed', startMs, tools: undefined, error: message, stderr: stderr.trimEnd().split('\n').filter(Boolean).slice(-STDERR_LINES),
		};
	} finally {
		await client.close().catch(() => {});
	}
}

/**
The table `mcpd check` prints.
*/
export function formatCheck(results: CheckResult[]): string {
	const rows = results.map(result => [
		result.server,
		result.status === 'failed' ? 'FAILED' : result.status,
		result.tools === undefined ? '-' : String(result.tools),
		result.startMs === undefined ? '-' : `${Math.round(result.startMs)} ms`,
	]);
	const header = ['SERVER', 'STATUS', 'TOOLS', 'START'];
	const widths = header.map((title, column) => Math.max(title.length, ...rows.map(row => row[column].length)));
	const line = (cells: string[]) => cells.map((cell, column) => cell.padEnd(widths[column])).join('  ').trimEnd();
	const out = [line(header), ...rows.map(row => line(row))];
	for (const result of results) {
		if (result.status !== 'failed') {
			continue;
		}

		out.push('', `${result.server}: ${result.error}`, ...result.stderr.map(text => `  | ${text}`));
	}

	return `${out.join('\n')}\n`;
}
