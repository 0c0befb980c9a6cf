/**
`mcpd check` through the real CLI: a table of every server, exit 1 when one fails.
*/
import assert from 'node:assert/strict';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {after, test} from 'node:test';
import {runMcpd} from '../helpers/cli.js';
import {FIXTURE} from '../helpers/mcpd.js';
import {assertNoNewChildren, descendants} from '../helpers/processes.js';

const directory = mkdtempSync(path.join(tmpdir(), 'mcpd-check-'));
const childrenBefore = descendants();
after(async () => {
	rmSync(directory, {recursive: true, force: true});
	await assertNoNewChildren(childrenBefore);
});

function configFile(servers: string): string {
	const file = path.join(directory, `${Math.random().toString(36).slice(2)}.toml`);
	writeFileSync(file, servers);
	return file;
}

const node = JSON.stringify(process.execPath);

test('every server starts: a row each with its tool count and start time, exit 0', async () => {
	const run = runMcpd(['check', '--config', configFile(`[server.fx]\ncommand = ${node}\nargs = [${JSON.stringify(FIXTURE)}]\n\n[server.off]\ncommand = "nothing"\nenabled = false\n`)]);
	assert.equal((await run.exited).code, 0, run.stderr());
	const lines = run.stdout().trimEnd().split('\n');
	assert.match(lines[0], /^SERVER +STATUS +TOOLS +START$/);
	const row = /^fx +ok +(\d+) +\d+ ms$/.exec(lines[1]);
	assert.ok(row, lines[1]);
	assert.ok(Number(row[1]) >= 15, 'the fixture offers its tools');
	assert.match(lines[2], /^off +disabled +- +-$/);
});

test('a server that dies at start and one whose command is missing: FAILED with why and the stderr tail, exit 1', async () => {
	const run = runMcpd(['check', '--config', configFile([
		`[server.fx]\ncommand = ${node}\nargs = [${JSON.stringify(FIXTURE)}]`,
		`[server.dead]\ncommand = ${node}\nargs = ["-e", "console.error('boom: OPENAI_API_KEY is not set'); process.exit(3)"]`,
		'[server.missing]\ncommand = "no-such-command-for-mcpd-check"',
	].join('\n\n'))]);
	assert.equal((await run.exited).code, 1);
	const out = run.stdout();
	assert.match(out, /^fx +ok +\d+/m);
	assert.match(out, /^dead +FAILED +- +-$/m);
	assert.match(out, /^dead: exited before answering initialize\n {2}\| boom: OPENAI_API_KEY is not set$/m);
	assert.match(out, /^missing: spawn no-such-command-for-mcpd-check ENOENT$/m);
});
