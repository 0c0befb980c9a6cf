import {groupUsage, statsByGroup, type ProcStat} from '../lib/proc-stat.js';
import type {Usage} from './types.js';

/** Reads every process's numbers, grouped by process group (`statsByGroup` on Linux). */
export type GroupReader = () => ReadonlyMap<number, readonly ProcStat[]>;

interface Previous {
	cpuSeconds: number;
	at: number;
}

/**
 * CPU % and resident memory of each child's whole process group, from two
 * readings of /proc: CPU is the time used between them over the time passed.
 * The first reading of a group has no CPU figure yet. Kept apart from the core:
 * it runs only while the dashboard is drawn, never on a request's path.
 */
export class UsageSampler {
	readonly #read: GroupReader;
	#previous = new Map<number, Previous>();

	constructor(read: GroupReader = statsByGroup) {
		this.#read = read;
	}

	/** `pids`: each live session's child, which leads its own process group. */
	sample(pids: ReadonlyMap<string, number>, now: number): Map<string, Usage> {
		const groups = this.#read();
		const out = new Map<string, Usage>();
		const next = new Map<number, Previous>();
		for (const [id, pid] of pids) {
			const usage = groupUsage(groups, pid);
			if (!usage) continue;
			const before = this.#previous.get(pid);
			const seconds = before ? (now - before.at) / 1000 : 0;
			// A counter that went back is a new process behind a reused pid: start over.
			const cpu = before && seconds > 0 && usage.cpuSeconds >= before.cpuSeconds ? (100 * (usage.cpuSeconds - before.cpuSeconds)) / seconds : undefined;
			out.set(id, {cpu, rss: usage.rss, processes: groups.get(pid)?.length ?? 0});
			next.set(pid, {cpuSeconds: usage.cpuSeconds, at: now});
		}

		this.#previous = next;
		return out;
	}
}

/** Each server's children summed; CPU only over the children that have a figure. */
export function serverTotals(rows: Iterable<{id: string; server: string}>, usage: ReadonlyMap<string, Usage>): Map<string, Usage> {
	const totals = new Map<string, Usage>();
	for (const row of rows) {
		const u = usage.get(row.id);
		if (!u) continue;
		const t = totals.get(row.server) ?? {cpu: undefined, rss: 0, processes: 0};
		totals.set(row.server, {
			cpu: u.cpu === undefined ? t.cpu : (t.cpu ?? 0) + u.cpu,
			rss: t.rss + u.rss,
			processes: t.processes + u.processes,
		});
	}

	return totals;
}
