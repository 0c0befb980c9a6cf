import {readdirSync, readFileSync} from 'node:fs';

/**
What /proc counts in on the Linux machines mcpd runs on (getconf PAGESIZE, CLK_TCK).
*/
export const PAGE_SIZE = 4096;
export const CLOCK_TICKS = 100;

export type ProcStat = {
	pid: number;
	/**
	Process group: a child of mcpd leads its own, so its helpers share its pid here.
	*/
	pgid: number;
	/**
	User plus system CPU time so far, in seconds.
	*/
	cpuSeconds: number;
	/**
	Resident memory, bytes.
	*/
	rss: number;
};

/**
 One process's `/proc/<pid>/stat`, or undefined when it is gone (or this is
 not Linux). The command name may hold spaces and parentheses, so fields are
 counted from the last `)`.
 */
export function readProcStat(pid: number): ProcStat | undefined {
	let text: string;
	try {
		text = readFileSync(`/proc/${pid}/stat`, 'utf8');
	} catch {
		return undefined;
	}

	const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
	// From field 3 (state) on: pgrp is field 5, utime 14, stime 15, rss 24 (pages).
	const ticks = Number(fields[11]) + Number(fields[12]);
	return {
		pid, pgid: Number(fields[2]), cpuSeconds: ticks / CLOCK_TICKS, rss: Number(fields[21]) * PAGE_SIZE,
	};
}

/**
Every process's numbers, grouped by process group; empty where there is no /proc.
*/
export function statsByGroup(): Map<number, ProcStat[]> {
	const groups = new Map<number, ProcStat[]>();
	let entries: string[];
	try {
		entries = readdirSync('/proc');
	} catch {
		return groups;
	}

	for (const entry of entries) {
		const code = entry.codePointAt(0) ?? 0;
		if (code < 48 || code > 57) {
			continue;
		}

		const stat = readProcStat(Number(entry));
		if (!stat) {
			continue;
		}

		const group = groups.get(stat.pgid);
		if (group) {
			group.push(stat);
		} else {
			groups.set(stat.pgid, [stat]);
		}
	}

	return groups;
}

/**
How the sampler reads /proc; a test gives its own.
*/
export type ProcReader = {
	/**
	Every process, grouped by process group: a walk of all of /proc.
	*/
	groups(): ReadonlyMap<number, readonly ProcStat[]>;
	/**
	One process, undefined when it is gone.
	*/
	one(pid: number): ProcStat | undefined;
};

export const procReader: ProcReader = {groups: statsByGroup, one: readProcStat};

/**
Summed CPU seconds and resident bytes of some processes, or undefined when there are none.
*/
export function groupUsage(members: readonly ProcStat[] | undefined): {cpuSeconds: number; rss: number} | undefined {
	if (!members || members.length === 0) {
		return undefined;
	}

	let cpuSeconds = 0;
	let rss = 0;
	for (const m of members) {
		cpuSeconds += m.cpuSeconds;
		rss += m.rss;
	}

	return {cpuSeconds, rss};
}
