import {writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import type {TailLine} from '../store/types.js';

export type LogExport = {
	/**
	Session id, or `''` for mcpd's own log.
	*/
	key: string;
	server: string | undefined;
	pid: number | undefined;
	lines: readonly TailLine[];
	/**
	Lines ever received: more than `lines` when the oldest fell out of the buffer.
	*/
	total: number;
	now: number;
};

const stamp = (ms: number): string => new Date(ms).toISOString();

/**
`mcpd-fs-1a2b3c4d-20261203T044500Z.log`: unique enough, sortable, and says whose it is.
*/
export function exportName(e: LogExport): string {
	const who = e.key === '' ? 'mcpd' : `mcpd-${e.server ?? 'session'}-${e.key.replaceAll('-', '').slice(0, 8)}`;
	const when = stamp(e.now).replaceAll(/[-:]/g, '').replace(/\.\d+/, '');
	return `${who}-${when}.log`.replaceAll(/[^\w\-.]/g, '_');
}

/**
The text of an export: what it is, then every retained line with its time, for a bug report.
*/
export function exportText(e: LogExport): string {
	const dropped = e.total - e.lines.length;
	const head = [
		`# ${e.key === '' ? 'mcpd log' : `stderr of session ${e.key}`}${e.server ? ` · server ${e.server}` : ''}${e.pid === undefined ? '' : ` · pid ${e.pid}`}`,
		`# exported ${stamp(e.now)}: ${e.lines.length} lines${dropped > 0 ? `, the ${dropped} before them no longer kept` : ''}`,
	];
	return [...head, ...e.lines.map(l => `${stamp(l.time)} ${l.line}`)].join('\n') + '\n';
}

/**
Writes the export next to other temporary files and says where.
*/
export async function writeExport(e: LogExport, dir = tmpdir()): Promise<string> {
	const file = path.join(dir, exportName(e));
	await writeFile(file, exportText(e), {mode: 0o600});
	return file;
}
