import {spawn} from 'node:child_process';
import {existsSync} from 'node:fs';
import type {Readable, Writable} from 'node:stream';

export type ChildExit = {
	exitCode: number | undefined;
	signal: string | undefined;
	/**
	Set when the process could not be started at all (ENOENT, EACCES...).
	*/
	spawnError: string | undefined;
};

export type Child = {
	pid: number | undefined;
	stdin: Writable;
	stdout: Readable;
	stderr: Readable;
	/**
	Resolves once the process has exited, whether or not its pipes have been read to the end.
	*/
	exited: Promise<ChildExit>;
	/**
	Signals the child's whole process group, so wrappers such as npx/uvx do not orphan the real server.
	*/
	signal(signal: NodeJS.Signals): void;
};

export type SpawnOptions = {
	command: string;
	args: string[];
	cwd: string | undefined;
	env: Record<string, string>;
};

/**
 Node's own `spawn`, not a wrapper: mcpd reads the pipes itself, and a
 wrapper's promise and stream machinery cost about 45 KiB of heap per child
 (70 KiB of RSS), every session paying it.
 */
export function spawnChild(options: SpawnOptions): Child {
	// No shell: a shell in between would be the one killed (supergateway PR #124).
	// detached puts the child in its own process group, which teardown signals as a whole.
	const subprocess = spawn(options.command, options.args, {
		cwd: options.cwd,
		env: options.env,
		stdio: ['pipe', 'pipe', 'pipe'],
		detached: true,
		windowsHide: true,
	});

	// A write to a dead child's stdin must not become an unhandled error; the exit path reports it.
	subprocess.stdin.on('error', () => {});

	const exited = new Promise<ChildExit>(resolve => {
		subprocess.once('exit', (code, signal) => {
			resolve({exitCode: code ?? undefined, signal: signal ?? undefined, spawnError: undefined});
		});
		// A command that cannot be started gets 'error' and no 'exit'. The message names the command, never its args.
		subprocess.on('error', error => {
			if (subprocess.pid !== undefined) {
				return;
			}

			const cwd = options.cwd !== undefined && !existsSync(options.cwd) ? ` (cwd ${options.cwd} does not exist)` : '';
			resolve({exitCode: undefined, signal: undefined, spawnError: `${error.message}${cwd}`});
		});
	});

	return {
		pid: subprocess.pid,
		stdin: subprocess.stdin,
		stdout: subprocess.stdout,
		stderr: subprocess.stderr,
		exited,
		signal(signal) {
			const {pid} = subprocess;
			if (pid === undefined) {
				return;
			}

			try {
				process.kill(-pid, signal);
			} catch {
				// The group is gone already (ESRCH) or was never ours (EPERM): nothing left to stop.
				try {
					subprocess.kill(signal);
				} catch {}
			}
		},
	};
}

/**
Stdin EOF and SIGTERM to the child's group, then SIGKILL after `graceMs` unless
`until` has settled (at once with `force`): how every child of mcpd is stopped.
*/
export function terminate(child: Child, graceMs: number, force: boolean, until: Promise<unknown>): void {
	child.stdin.end();
	child.signal(force ? 'SIGKILL' : 'SIGTERM');
	if (force) {
		return;
	}

	const timer = setTimeout(() => {
		child.signal('SIGKILL');
	}, graceMs);
	timer.unref();
	void until.then(() => {
		clearTimeout(timer);
	});
}
