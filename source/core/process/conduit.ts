import type {Readable} from 'node:stream';
import {finished} from 'node:stream/promises';
import {terminate, type Child, type ChildExit} from './child.js';
import {LineSplitter} from './line-splitter.js';
import {StderrRing} from './stderr-ring.js';

/**
 How long an exited child's stdout may stay open: a grandchild that outlives
 it (a wrapper's server, left running) can hold the pipe for ever.
 */
const DRAIN_AFTER_EXIT_MS = 1000;

/**
Resolves when `stream` has ended or closed, or after `DRAIN_AFTER_EXIT_MS`.
*/
async function drained(stream: Readable): Promise<void> {
	let timer: NodeJS.Timeout | undefined;
	await Promise.race([
		finished(stream).catch(() => {}),
		new Promise<void>(resolve => {
			timer = setTimeout(resolve, DRAIN_AFTER_EXIT_MS);
		}),
	]);
	clearTimeout(timer);
}

/**
A stderr line longer than this is cut into pieces rather than held whole.
*/
const STDERR_MAX_LINE = 16 * 1024;

export type ConduitHandlers = {
	/**
	One stdout line, without its newline.
	*/
	line(line: string): void;
	stderr(line: string, time: number): void;
	/**
	After stdout has been drained.
	*/
	exit(exit: ChildExit): void;
};

/**
 The byte plumbing of one child: stdout split into lines, stderr kept in a
 ring, stdin written in coalesced batches, and the stop sequence. Knows
 nothing of MCP; a legacy session and a shared modern child both sit on one.
 */
export class Conduit {
	readonly stderr = new StderrRing();
	readonly done: Promise<void>;
	readonly #child: Child;
	readonly #killGraceMs: number;
	#outbox = '';
	#flushScheduled = false;
	#stopping = false;
	#holds = 0;

	constructor(child: Child, killGraceMs: number, handlers: ConduitHandlers) {
		this.#child = child;
		this.#killGraceMs = killGraceMs;
		const stdout = new LineSplitter(handlers.line);
		child.stdout.on('data', (chunk: Buffer) => {
			stdout.push(chunk);
		});
		const stderr = new LineSplitter(line => {
			const time = Date.now();
			this.stderr.push({time, line});
			handlers.stderr(line, time);
		}, STDERR_MAX_LINE);
		child.stderr.on('data', (chunk: Buffer) => {
			stderr.push(chunk);
		});
		child.stderr.on('end', () => {
			stderr.flush();
		});
		// The exit can come before the last of stdout and stderr has been read: what the child said first is
		// delivered first, and its last stderr lines are in the tail that its end is reported with.
		this.done = child.exited.then(async exit => {
			await Promise.all([drained(child.stdout), drained(child.stderr)]);
			stdout.flush();
			stderr.flush();
			handlers.exit(exit);
		});
	}

	/**
	 Stops reading the child's stdout until every hold is released: the pipe
	 then fills and the child's own writes block, so a client that reads
	 slowly slows its child instead of growing mcpd's memory.
	 */
	hold(): () => void {
		if (this.#holds++ === 0) {
			this.#child.stdout.pause();
		}

		let released = false;
		return () => {
			if (released) {
				return;
			}

			released = true;
			if (--this.#holds === 0) {
				this.#child.stdout.resume();
			}
		};
	}

	get pid(): number | undefined {
		return this.#child.pid;
	}

	get stopping(): boolean {
		return this.#stopping;
	}

	/**
	 Messages written in one turn of the event loop leave in one write: with
	 several requests in flight per child this saves a syscall per message,
	 the largest single cost of the relay.
	 */
	write(raw: string): void {
		if (!this.#child.stdin.writable) {
			return;
		}

		if (raw.length >= 65_536) {
			// Keep order, and spare a multi-MiB body the copy that appending a newline would make.
			this.#flush();
			this.#child.stdin.write(raw);
			this.#child.stdin.write('\n');
			return;
		}

		this.#outbox += raw + '\n';
		if (this.#flushScheduled) {
			return;
		}

		this.#flushScheduled = true;
		setImmediate(this.#flushSoon);
	}

	/**
	Stdin EOF and SIGTERM to the child's group, SIGKILL after the grace (at once with `force`).
	*/
	async stop(force = false): Promise<void> {
		if (this.#stopping) {
			if (force) {
				this.#child.signal('SIGKILL');
			}

			return this.done;
		}

		this.#stopping = true;
		this.#flush();
		terminate(this.#child, this.#killGraceMs, force, this.done);
		return this.done;
	}

	readonly #flushSoon = (): void => {
		this.#flushScheduled = false;
		this.#flush();
	};

	#flush(): void {
		if (this.#outbox === '') {
			return;
		}

		const data = this.#outbox;
		this.#outbox = '';
		if (this.#child.stdin.writable) {
			this.#child.stdin.write(data);
		}
	}
}
