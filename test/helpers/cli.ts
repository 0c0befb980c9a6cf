/**
Runs the real `bin/mcpd.js` (the built CLI) as a child process.
*/
import {spawn, type ChildProcess} from 'node:child_process';
import {fileURLToPath} from 'node:url';
import {waitFor} from './wait-for.js';

export const BIN = fileURLToPath(new URL('../../bin/mcpd.js', import.meta.url));

export type McpdProcess = {
	child: ChildProcess;
	stdout(): string;
	stderr(): string;
	/**
	Resolves with the base URL once the headless log says it listens.
	*/
	listening(timeout?: number): Promise<string>;
	exited: Promise<{code: number | null; signal: NodeJS.Signals | null}>;
};

export function runMcpd(args: string[], options: {env?: NodeJS.ProcessEnv; cwd?: string} = {}): McpdProcess {
	const child = spawn(process.execPath, [BIN, ...args], {
		cwd: options.cwd,
		env: options.env ?? process.env,
		stdio: ['pipe', 'pipe', 'pipe'],
	});
	let out = '';
	let error = '';
	child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
		out += chunk;
	});
	child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
		error += chunk;
	});
	const exited = new Promise<{code: number | null; signal: NodeJS.Signals | null}>(resolve => {
		child.once('exit', (code, signal) => {
			resolve({code, signal});
		});
	});
	return {
		child,
		stdout: () => out,
		stderr: () => error,
		exited,
		async listening(timeout = 10_000) {
			return waitFor(() => {
				if (child.exitCode !== null) {
					throw new Error(`mcpd exited ${child.exitCode}: ${error}`);
				}

				return /listening .*?url=(\S+)|"msg":"listening".*?"url":"([^"]+)"/.exec(out)?.slice(1).find(Boolean);
			}, {timeout, message: `mcpd to listen (stdout: ${out.slice(0, 500)} stderr: ${error.slice(0, 500)})`});
		},
	};
}

/**
Runs the CLI to completion, e.g. for `--check` or a config error.
*/
export async function runMcpdToEnd(args: string[], options: {env?: NodeJS.ProcessEnv; cwd?: string} = {}): Promise<{code: number | null; stdout: string; stderr: string}> {
	const run = runMcpd(args, options);
	run.child.stdin!.end();
	const {code} = await run.exited;
	return {code, stdout: run.stdout(), stderr: run.stderr()};
}
