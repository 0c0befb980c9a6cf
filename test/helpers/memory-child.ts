import {PassThrough} from 'node:stream';
import type {Child, ChildExit} from '../../source/core/process/child.js';

/**
 A child process in memory, after the SDK's InMemoryTransport: the test reads
 what mcpd wrote to its stdin, prints lines as the server would, and decides
 when and how it exits. Lets core logic run in milliseconds, no spawn.
 */
export class MemoryChild implements Child {
	readonly pid = 1;
	readonly stdin = new PassThrough();
	readonly stdout = new PassThrough();
	readonly stderr = new PassThrough();
	readonly exited: Promise<ChildExit>;
	/**
	Signals mcpd sent, in order.
	*/
	readonly signals: NodeJS.Signals[] = [];
	readonly #lines: string[] = [];
	readonly #waiters: Array<(line: string) => void> = [];
	#exit: ((exit: ChildExit) => void) | undefined;
	#buffered = '';

	constructor() {
		this.exited = new Promise(resolve => {
			this.#exit = resolve;
		});
		this.stdin.setEncoding('utf8');
		this.stdin.on('data', (chunk: string) => {
			this.#buffered += chunk;
			let end;
			while ((end = this.#buffered.indexOf('\n')) !== -1) {
				const line = this.#buffered.slice(0, end);
				this.#buffered = this.#buffered.slice(end + 1);
				const waiter = this.#waiters.shift();
				if (waiter) {
					waiter(line);
				} else {
					this.#lines.push(line);
				}
			}
		});
	}

	/**
	The next message mcpd wrote to the child, parsed.
	*/
	async read(): Promise<Record<string, unknown>> {
		const line = this.#lines.shift() ?? await new Promise<string>(resolve => {
			this.#waiters.push(resolve);
		});
		return JSON.parse(line) as Record<string, unknown>;
	}

	/**
	One line on stdout, as the server would print it.
	*/
	print(message: unknown): void {
		this.stdout.write(`${JSON.stringify(message)}\n`);
	}

	exit(exit: Partial<ChildExit> = {}): void {
		this.stdout.end();
		this.stderr.end();
		this.#exit?.({
			exitCode: undefined, signal: undefined, spawnError: undefined, ...exit,
		});
	}

	signal(signal: NodeJS.Signals): void {
		this.signals.push(signal);
		this.exit({signal});
	}
}
