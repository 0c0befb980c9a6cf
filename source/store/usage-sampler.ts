import {groupUsage, procReader, type ProcReader, type ProcStat} from '../lib/proc-stat.js';
import type {Usage} from './types.js';

type Previous = {
	cpuSeconds: number;
	at: number;
};

/**
 CPU % and resident memory of each child's whole process group, from two
 readings of /proc: CPU is the time used between them over the time passed.
 The first reading of a group has no CPU figure yet. Kept apart from the core:
 it runs only while the dashboard is drawn, never on a request's path.

 Finding a group's members means reading every process on the machine, so
 that walk is done every `rescanEvery` samples (and at once for a new child);
 in between only the members already known are read again.
 */
export class UsageSampler {
	readonly #read: ProcReader;
	readonly #rescanEvery: number;
	#samples = 0;
	#previous = new Map<number, Previous>();
	/**
	Process group → the pids seen in it at the last walk.
	*/
	#members = new Map<number, number[]>();

	constructor(read: ProcReader = procReader, rescanEvery = 5) {
		this.#read = read;
		this.#rescanEvery = rescanEvery;
	}

	/**
	`pids`: each live session's child, which leads its own process group.
	*/
	sample(pids: ReadonlyMap<string, number>, now: number): Map<string, Usage> {
		const groups = this.#groups(pids);
		const out = new Map<string, Usage>();
		const next = new Map<number, Previous>();
		for (const [id, pid] of pids) {
			const members = groups.get(pid);
			const usage = groupUsage(members);
			if (!usage) {
				continue;
			}

			const before = this.#previous.get(pid);
			const seconds = before ? (now - before.at) / 1000 : 0;
			// A counter that went back is a new process behind a reused pid: start over.
			const cpu = before && seconds > 0 && usage.cpuSeconds >= before.cpuSeconds ? (100 * (usage.cpuSeconds - before.cpuSeconds)) / seconds : undefined;
			out.set(id, {cpu, rss: usage.rss, processes: members?.length ?? 0});
			next.set(pid, {cpuSeconds: usage.cpuSeconds, at: now});
		}

		this.#previous = next;
		return out;
	}

	#groups(pids: ReadonlyMap<string, number>): ReadonlyMap<number, readonly ProcStat[]> {
		let known = true;
		for (const pid of pids.values()) {
			known &&= this.#members.has(pid);
		}

		if (this.#samples++ % this.#rescanEvery === 0 || !known) {
			const all = this.#read.groups();
			this.#members = new Map([...pids.values()].map(pid => [pid, all.get(pid)?.map(s => s.pid) ?? []]));
			return all;
		}

		const groups = new Map<number, ProcStat[]>();
		for (const [pgid, members] of this.#members) {
			// A member that left the group, or a pid now used by another process, no longer counts.
			groups.set(pgid, members.map(pid => this.#read.one(pid)).filter((s): s is ProcStat => s?.pgid === pgid));
		}

		return groups;
	}
}

/**
Each server's children summed; CPU only over the children that have a figure.
*/
export function serverTotals(rows: Iterable<{id: string; server: string}>, usage: ReadonlyMap<string, Usage>): Map<string, Usage> {
	const totals = new Map<string, Usage>();
	for (const row of rows) {
		const u = usage.get(row.id);
		if (!u) {
			continue;
		}

		const t = totals.get(row.server) ?? {cpu: undefined, rss: 0, processes: 0};
		totals.set(row.server, {
			cpu: u.cpu === undefined ? t.cpu : (t.cpu ?? 0) + u.cpu,
			rss: t.rss + u.rss,
			processes: t.processes + u.processes,
		});
	}

	return totals;
}
