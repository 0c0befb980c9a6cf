import assert from 'node:assert/strict';
import {mkdtempSync, readFileSync, rmSync, statSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {test} from 'node:test';
import {exportName, writeExport} from '../../source/ui/export-log.js';

const at = Date.UTC(2026, 11, 3, 4, 45, 0);

test('an export names the server and session, lists every retained line with its time, and says what was dropped', async () => {
	const dir = mkdtempSync(path.join(tmpdir(), 'mcpd-export-'));
	try {
		const log = {
			key: '1a2b3c4d-0000-4000-8000-000000000000', server: 'fs', pid: 42, lines: [{seq: 3, time: at - 1000, line: 'boom'}, {seq: 4, time: at, line: 'after'}], total: 5, now: at,
		};
		assert.equal(exportName(log), 'mcpd-fs-1a2b3c4d-20261203T044500Z.log');
		const file = await writeExport(log, dir);
		assert.equal(path.dirname(file), dir);
		assert.equal(readFileSync(file, 'utf8'), [
			'# stderr of session 1a2b3c4d-0000-4000-8000-000000000000 · server fs · pid 42',
			'# exported 2026-12-03T04:45:00.000Z: 2 lines, the 3 before them no longer kept',
			'2026-12-03T04:44:59.000Z boom',
			'2026-12-03T04:45:00.000Z after',
			'',
		].join('\n'));
		assert.equal(statSync(file).mode & 0o777, 0o600, 'stderr may hold secrets: only the user reads it');
		assert.equal(exportName({...log, key: '', server: undefined}), 'mcpd-20261203T044500Z.log');
		assert.equal(exportName({...log, server: '../evil name'}), 'mcpd-.._evil_name-1a2b3c4d-20261203T044500Z.log', 'no path separators from a server name');
	} finally {
		rmSync(dir, {recursive: true, force: true});
	}
});
