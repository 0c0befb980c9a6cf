import {terminate, type Child, type ChildExit} from './process/child.js';

/**
A spare that died before any session took it: what its server's health is told.
*/
export type SpareDeath = {
	exit: ChildExit;
	/**
	Epoch ms of its spawn.
	*/
	startedAt: number;
	/**
	Its last stderr lines, as far as they had reached the pipe.
	*/
	stderr: string[];
};

type Spare = {
	child: Child;
	startedAt: number;
};

const STDERR_LINES = 10;

/**
 One server's pre-warmed children: spawned ahead, not yet sent anything, so a
 new legacy session takes one instead of waiting for a process to start. The
 client's own `initialize` is the first thing a spare ever reads, and a spare
 is handed out once: never shared, never given back. Nothing here reads a
 spare's pipes, so its first output waits in them for the session's conduit.
 */
export class Spares {
	readonly #spawn: () => Child;
	readonly #onDeath: (death: SpareDeath) => void;
	readonly #killGraceMs: number;
	/**
	Oldest first: the one that has had the longest to start is handed out first.
	*/
	readonly #ready: Spare[] = [];
	readonly #stopping = new Set<Promise<void>>();

	constructor(spawn: () => Child, killGraceMs: number, onDeath: (death: SpareDeath) => void) {
		this.#spawn = spawn;
		this.#killGraceMs = killGraceMs;
		this.#onDeath = onDeath;
	}

	get size(): number {
		return this.#ready.length;
	}

	/**
	Pids of the spares waiting, oldest first.
	*/
	get pids(): number[] {
		return this.#ready.flatMap(spare => (spare.child.pid === undefined ? [] : [spare.child.pid]));
	}

	add(): void {
		const spare = {child: this.#spawn(), startedAt: Date.now()};
		this.#ready.push(spare);
		void spare.child.exited.then(exit => {
			// Taken or stopped meanwhile: its exit is someone else's to report.
			if (!this.#remove(spare)) {
				return;
			}

			this.#onDeath({exit, startedAt: spare.startedAt, stderr: tailOf(spare.child)});
		});
	}

	/**
	The oldest spare, now the caller's; undefined when none is waiting.
	*/
	take(): Child | undefined {
		return this.#ready.shift()?.child;
	}

	/**
	Stops spares beyond `keep`, newest first.
	*/
	trim(keep: number): void {
		while (this.#ready.length > keep) {
			this.#stop(this.#ready.pop()!);
		}
	}

	/**
	Stops every spare; resolves once all of them (and any stopped before) are reaped.
	*/
	async stopAll(): Promise<void> {
		this.trim(0);
		await Promise.all(this.#stopping);
	}

	#remove(spare: Spare): boolean {
		const index = this.#ready.indexOf(spare);
		if (index === -1) {
			return false;
		}

		this.#ready.splice(index, 1);
		return true;
	}

	/**
	As a session's child is stopped: stdin EOF and SIGTERM to its group, SIGKILL after the grace.
	*/
	#stop({child}: Spare): void {
		// Drained so that a spare blocked on a full pipe can see its signal through.
		child.stdout.resume();
		child.stderr.resume();
		terminate(child, this.#killGraceMs, false, child.exited);
		const reaped = child.exited.then(() => {
			this.#stopping.delete(reaped);
		});
		this.#stopping.add(reaped);
	}
}

function tailOf(child: Child): string[] {
	const buffered = child.stderr.read() as Buffer | string | null;
	return buffered === null ? [] : String(buffered).split('\n').map(line => line.trimEnd()).filter(Boolean).slice(-STDERR_LINES);
}
