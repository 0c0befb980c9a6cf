import type {Readable, Writable} from 'node:stream';
import {execa} from 'execa';

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

export function spawnChild(options: SpawnOptions): Child {
	// No shell: a shell in between would be the one killed (supergateway PR #124).
	// detached puts the child in its own process group; execa's `cleanup` does
	// not cover detached children, so teardown is the supervisor's job.
	const subprocess = execa(options.command, options.args, {
		cwd: options.cwd,
		env: options.env,
		extendEnv: false,
		stdin: 'pipe',
		stdout: 'pipe',
		stderr: 'pipe',
		buffer: false,
		detached: true,
		cleanup: false,
		reject: false,
		windowsHide: true,
	});

	// A write to a dead child's stdin must not become an unhandled error; the exit path reports it.
	subprocess.stdin.on('error', () => {});

	const exited = subprocess.then(result => ({
		exitCode: result.exitCode,
		signal: result.signal,
		spawnError: subprocess.pid === undefined || result.exitCode === undefined && result.signal === undefined ? result.shortMessage : undefined,
	}));

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
