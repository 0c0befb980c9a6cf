#!/usr/bin/env node
// Runs @modelcontextprotocol/conformance's server scenarios against mcpd in
// front of the conformance fixture (test/fixtures/conformance-server.mjs).
//
//   npm run conformance [-- REVISION...]     (default: 2025-11-25 2026-07-28)
//
// Each REVISION is passed as `--requirements`: exactly the scenarios that spec
// revision requires, plus the ones it runs but does not score. One summary
// line per revision; the raw results (checks.json per scenario, the tool's
// output, mcpd's log, summary.json) go to test/conformance/results/, which is
// replaced on each run. It is a report, not a gate: it exits 0 whatever the
// scenarios say, and 1 only when mcpd does not start.

import {spawn} from 'node:child_process';
import {once} from 'node:events';
import {createWriteStream} from 'node:fs';
import {mkdir, mkdtemp, readdir, readFile, rm, writeFile} from 'node:fs/promises';
import {createServer} from 'node:net';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {setTimeout as sleep} from 'node:timers/promises';
import {fileURLToPath} from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const MCPD = path.join(ROOT, 'bin/mcpd.js');
const FIXTURE = path.join(ROOT, 'test/fixtures/conformance-server.mjs');
const RESULTS = path.join(ROOT, 'test/conformance/results');
const PACKAGE = path.join(ROOT, 'node_modules/@modelcontextprotocol/conformance');
const DEFAULT_REVISIONS = ['2025-11-25', '2026-07-28'];
// Ample for mcpd's own SIGTERM handling (kill_grace is 2 s by default).
const STOP_GRACE_MS = 5000;

/**
A port nobody listens on right now: bind 0, read it, let it go.
*/
async function freePort() {
	const probe = createServer();
	probe.listen(0, '127.0.0.1');
	await once(probe, 'listening');
	const {port} = probe.address();
	probe.close();
	await once(probe, 'close');
	return port;
}

// TOML basic strings take JSON's escapes for everything a path can hold.
const tomlString = value => JSON.stringify(value);

/**
 One server named `default`, served at /mcp, with no session cap: the suite
 opens many. Several scenarios leave an input round unanswered on purpose;
 the call stays held in the child until input_timeout, and with one child a
 later call's input request could not be told from it (mcpd refuses rather
 than guesses), so the identity may spread over a few children.
 @param port
 */
function config(port) {
	return [
		'[http]',
		`port = ${port}`,
		'[sessions]',
		'max_total = 0',
		'[server.default]',
		`command = ${tomlString(process.execPath)}`,
		`args = [${tomlString(FIXTURE)}]`,
		'modern_children = 8',
		'',
	].join('\n');
}

/**
Resolves with `closed`, or with undefined once `ms` have passed.
@param closed
@param ms
*/
async function within(closed, ms) {
	// Unref'd: a pending timer must not hold the runner up once mcpd is gone.
	return Promise.race([closed, sleep(ms, undefined, {ref: false})]);
}

async function startMcpd(configFile, port, logFile) {
	const log = createWriteStream(logFile);
	// Its own process group, so that stopping it never depends on the terminal's
	// Ctrl+C reaching it, and SIGKILL can take the whole group if it hangs.
	const child = spawn(process.execPath, [MCPD, '--no-tui', '--log-level', 'warn', '--config', configFile], {
		cwd: ROOT,
		detached: true,
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	child.stdout.pipe(log, {end: false});
	child.stderr.pipe(log, {end: false});
	// `close` comes after `exit`, once its output is all in the log.
	const closed = once(child, 'close').then(([code, signal]) => ({code, signal}));
	const url = `http://127.0.0.1:${port}`;
	const deadline = Date.now() + 15_000;
	while (Date.now() < deadline) {
		if (child.exitCode !== null || child.signalCode !== null) {break;}
		try {
			const response = await fetch(`${url}/healthz`, {signal: AbortSignal.timeout(1000)});
			if (response.ok) {
				return {
					child, closed, url, log,
				};
			}
		} catch {}

		await sleep(100);
	}

	await stopMcpd({child, closed, log});
	return undefined;
}

/**
SIGTERM (mcpd then ends every session and its child), SIGKILL to the group if it hangs.
@param root0
@param root0.child
@param root0.closed
@param root0.log
*/
async function stopMcpd({child, closed, log}) {
	if (child.exitCode === null && child.signalCode === null) {child.kill('SIGTERM');}
	if (!await within(closed, STOP_GRACE_MS)) {
		process.stderr.write(`conformance: mcpd (pid ${child.pid}) still running ${STOP_GRACE_MS} ms after SIGTERM; killing its process group\n`);
		try {
			process.kill(-child.pid, 'SIGKILL');
		} catch {}

		await within(closed, STOP_GRACE_MS);
	}

	log.end();
	await once(log, 'close').catch(() => {});
}

/**
The pinned package's own entry point: no npx (and no npm process in between to orphan its child).
*/
async function conformanceBin() {
	const manifest = JSON.parse(await readFile(path.join(PACKAGE, 'package.json'), 'utf8'));
	const bin = typeof manifest.bin === 'string' ? manifest.bin : manifest.bin.conformance;
	return path.join(PACKAGE, bin);
}

let running;

async function runSuite(bin, url, revision, outDir) {
	await mkdir(outDir, {recursive: true});
	const output = createWriteStream(path.join(outDir, 'conformance.log'));
	running = spawn(process.execPath, [bin, 'server', '--url', `${url}/mcp`, '--requirements', revision, '--output-dir', outDir], {
		cwd: ROOT,
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let stdout = '';
	running.stdout.setEncoding('utf8').on('data', chunk => {
		stdout += chunk;
		output.write(chunk);
	});
	running.stderr.pipe(output, {end: false});
	// `close`, not `exit`: only then has all of its output been read.
	const [code, signal] = await once(running, 'close');
	running = undefined;
	output.end();
	return {code, signal, stdout};
}

/**
 Scenario → outcome from the tool's summary: `✓ NAME: N passed, M failed` for
 each scenario, then, under `Not scored for …`, the unscored ones again.
 @param stdout
 */
function parseSummary(stdout) {
	const summary = stdout.slice(stdout.lastIndexOf('=== SUMMARY ==='));
	const notScored = summary.indexOf('Not scored for');
	const scored = new Map();
	for (const match of (notScored === -1 ? summary : summary.slice(0, notScored)).matchAll(/^([✓✗]) (\S+): (\d+) passed, (\d+) failed/gmu)) {
		scored.set(match[2], {ok: match[1] === '✓', passed: Number(match[3]), failed: Number(match[4])});
	}

	const unscored = new Set(notScored === -1 ? [] : [...summary.slice(notScored).matchAll(/^\s+[✓✗] (\S+) \(/gmu)].map(match => match[1]));
	return {scored, unscored};
}

/**
 Per scenario, the first failed check's message, and which scenarios had
 warnings (the tool counts those as passed), from the checks.json files.
 @param outDir
 */
async function readChecks(outDir) {
	const reasons = new Map();
	const warned = new Set();
	for (const entry of await readdir(outDir, {withFileTypes: true})) {
		if (!entry.isDirectory()) {continue;}
		// `server-NAME-2026-01-31T12-00-00-000Z`
		const name = entry.name.replace(/^server-/, '').replace(/-\d{4}-\d\d-\d\dT[\d-]+Z$/, '');
		let checks;
		try {
			checks = JSON.parse(await readFile(path.join(outDir, entry.name, 'checks.json'), 'utf8'));
		} catch {
			reasons.set(name, 'no checks.json: the scenario did not finish');
			continue;
		}

		const failure = checks.find(check => check.status === 'FAILURE');
		if (failure) {reasons.set(name, `${failure.id}: ${failure.errorMessage ?? 'failed'}`);}
		if (checks.some(check => check.status === 'WARNING')) {warned.add(name);}
	}

	return {reasons, warned};
}

const oneLine = (text, max = 160) => {
	const flat = text.replaceAll(/\s+/g, ' ').trim();
	return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
};

async function report(revision, run, outDir) {
	const {scored, unscored} = parseSummary(run.stdout);
	const {reasons, warned} = await readChecks(outDir);
	const counted = [...scored].filter(([name]) => !unscored.has(name));
	const failed = counted.filter(([, outcome]) => !outcome.ok).map(([name]) => name);
	const passed = counted.length - failed.length;
	const passedWarned = counted.filter(([name, outcome]) => outcome.ok && warned.has(name)).map(([name]) => name);
	const unscoredFailed = [...unscored].filter(name => scored.get(name)?.ok === false);
	const line = scored.size === 0
		? `${revision}: no results (conformance exited ${run.code ?? run.signal}; see ${path.relative(ROOT, path.join(outDir, 'conformance.log'))})`
		: `${revision}: ${passed} passed${passedWarned.length > 0 ? ` (${passedWarned.length} with warnings)` : ''}, ${failed.length} failed of ${counted.length} scored scenarios`
			+ (failed.length > 0 ? ` (failed: ${failed.join(', ')})` : '')
			+ (unscored.size > 0 ? `; not scored: ${unscored.size}, ${unscoredFailed.length} failing` : '');
	console.log(line);
	for (const name of failed) {console.log(`  ${name}: ${oneLine(reasons.get(name) ?? 'see its checks.json')}`);}
	return {
		revision,
		passed,
		passedWithWarnings: passedWarned,
		failed: failed.map(name => ({name, reason: reasons.get(name)})),
		unscored: [...unscored].map(name => ({name, ok: scored.get(name)?.ok ?? false, reason: reasons.get(name)})),
		exit: run.code ?? run.signal,
	};
}

async function main() {
	const revisions = process.argv.slice(2);
	if (revisions.length === 0) {revisions.push(...DEFAULT_REVISIONS);}
	await rm(RESULTS, {recursive: true, force: true});
	await mkdir(RESULTS, {recursive: true});
	const temporary = await mkdtemp(path.join(tmpdir(), 'mcpd-conformance-'));
	const port = await freePort();
	const configFile = path.join(temporary, 'mcpd.toml');
	await writeFile(configFile, config(port));
	const mcpdLog = path.join(RESULTS, 'mcpd.log');
	const mcpd = await startMcpd(configFile, port, mcpdLog);
	if (!mcpd) {
		await rm(temporary, {recursive: true, force: true});
		const log = await readFile(mcpdLog, 'utf8').catch(() => '');
		console.error(`conformance: mcpd did not start on port ${port}${log ? `:\n${log}` : ' (no output)'}`);
		return 1;
	}

	const stop = async signal => {
		running?.kill(signal);
		await stopMcpd(mcpd);
		await rm(temporary, {recursive: true, force: true});
		process.exit(signal === 'SIGINT' ? 130 : 143);
	};

	process.once('SIGINT', stop);
	process.once('SIGTERM', stop);
	try {
		const bin = await conformanceBin();
		const results = [];
		for (const revision of revisions) {
			const outDir = path.join(RESULTS, revision);
			const run = await runSuite(bin, mcpd.url, revision, outDir);
			results.push(await report(revision, run, outDir));
		}

		await writeFile(path.join(RESULTS, 'summary.json'), JSON.stringify(results, null, '\t') + '\n');
		console.log(`raw results: ${path.relative(ROOT, RESULTS)}/`);
	} finally {
		await stopMcpd(mcpd);
		await rm(temporary, {recursive: true, force: true});
	}

	return 0;
}

process.exitCode = await main();
