/**
 Process-tree inspection for leak tests, read from Linux /proc.
 */
import {readdirSync, readFileSync} from 'node:fs';
import {waitFor} from './wait-for.js';

type ProcStat = {
	pid: number;
	ppid: number;
	state: string;
	/**
	The executable's name, at most 15 characters.
	*/
	comm: string;
};

/**
 Parses `/proc/<pid>/stat`. The comm field is in parentheses and may itself
 contain spaces or `)`, so the fields are taken after the last `)`.
 */
function readStat(pid: number): ProcStat | undefined {
	let raw: string;
	try {
		raw = readFileSync(`/proc/${pid}/stat`, 'utf8');
	} catch {
		return undefined; // Gone, or not ours to read
	}

	const close = raw.lastIndexOf(')');
	if (close === -1) {
		return undefined;
	}

	const [state, ppid] = raw.slice(close + 2).split(' ', 2);
	return {
		pid, ppid: Number(ppid), state, comm: raw.slice(raw.indexOf('(') + 1, close),
	};
}

function allStats(): ProcStat[] {
	const stats: ProcStat[] = [];
	for (const name of readdirSync('/proc')) {
		if (!/^\d+$/.test(name)) {
			continue;
		}

		const stat = readStat(Number(name));
		if (stat) {
			stats.push(stat);
		}
	}

	return stats;
}

/**
Live (not zombie) descendants of `pid`, at any depth, sorted.
*/
export function descendants(pid: number = process.pid): number[] {
	const children = new Map<number, ProcStat[]>();
	for (const stat of allStats()) {
		const list = children.get(stat.ppid);
		if (list) {
			list.push(stat);
		} else {
			children.set(stat.ppid, [stat]);
		}
	}

	const found: number[] = [];
	const queue = [pid];
	while (queue.length > 0) {
		for (const child of children.get(queue.shift()!) ?? []) {
			// A zombie's own children were re-parented already; nothing to walk. Esbuild is tsx's compiler
			// service, started by the test process itself the first time it compiles a module mcpd imports
			// lazily (prom-client's, at the first /metrics): the runner's, not a child mcpd left.
			if (child.state === 'Z' || child.comm === 'esbuild') {
				continue;
			}

			found.push(child.pid);
			queue.push(child.pid);
		}
	}

	return found.sort((a, b) => a - b);
}

/**
True while `pid` exists and is not a zombie.
*/
export function isAlive(pid: number): boolean {
	const stat = readStat(pid);
	return stat !== undefined && stat.state !== 'Z';
}

/**
The command line of `pid`, or `?` when unreadable.
*/
export function cmdline(pid: number): string {
	try {
		return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ') || '?';
	} catch {
		return '?';
	}
}

/**
 Waits up to `timeout` ms (default 3000) until every descendant of this
 process is one of `before`, then throws listing each leftover with its
 command line.
 */
export async function assertNoNewChildren(before: number[], {timeout = 3000}: {timeout?: number} = {}): Promise<void> {
	const known = new Set(before);
	const extra = () => descendants().filter(pid => !known.has(pid));
	try {
		await waitFor(() => extra().length === 0, {timeout, message: 'descendants to exit'});
	} catch {
		const left = extra();
		if (left.length === 0) {
			return;
		}

		const lines = left.map(pid => `  ${pid}: ${cmdline(pid)}`).join('\n');
		throw new Error(`${left.length} process(es) left behind after ${timeout} ms:\n${lines}`);
	}
}
