#!/usr/bin/env node
// `npm run bench`: mcpd against the direct-stdio floor and the peer proxies, in
// one run on one machine, and the table of ratios that the README shows.
//
//   npm run bench                   # everything, 3 reps each (see bench/README.md for the time)
//   npm run bench -- --quick        # a few minutes' look: small workloads, 1 rep, 2 sweep points
//   npm run bench -- --readme       # also rewrite README.md's generated performance block
//   npm run bench -- --proxies stdio,mcpd --skip scale
//   npm run bench -- --no-wait       # full workloads, but neither wait for quiet nor repeat disturbed runs
//
// Suites (each a set of bench/kit/peers.sh runs, every run against a fresh proxy):
//   main     workloads A–F (A latency, B throughput, C 1 MiB, D initialize, E memory, F CPU),
//            also for bare-relay.mjs: what any Node proxy costs at the least
//   prewarm  D with sessions 200 ms apart, mcpd with and without `prewarm = 2`
//   large    C with 32 MiB echoes (both directions), floor and mcpd
//   scale    B at 1, 4, 16, 64, 128 sessions (--sweep)
//   demo     the built-in demo server's start to its initialize answer, against a bare node
// The peers (supergateway, punkpeye's mcp-proxy, pinned) are installed on first use into
// ~/.cache/mcpd-bench ($PEERS_DIR); the Python seed too when pip can get it, else it is
// skipped with a note. Runs disturbed by other programs are discarded and run again
// (peers.sh --max-foreign); --quick keeps whatever it gets.
//
// Raw lines go to bench/results/<time>.jsonl, the report to <time>.md beside it.
import {spawn, execFileSync} from 'node:child_process';
import {copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, appendFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {parseArgs} from 'node:util';
import {measureDemoStart} from './demo-start.mjs';
import {renderReport, updateReadme} from './report.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const here = path.join(root, 'bench');
const peers = path.join(here, 'kit/peers.sh');
const SUITES = ['main', 'prewarm', 'large', 'scale', 'demo'];

const {values: options} = parseArgs({
	options: {
		quick: {type: 'boolean', default: false},
		reps: {type: 'string'},
		proxies: {type: 'string', default: 'stdio,bare,mcpd,supergateway,mcp-proxy,seed'},
		skip: {type: 'string', default: ''},
		sweep: {type: 'string'},
		readme: {type: 'boolean', default: false},
		'no-wait': {type: 'boolean', default: false},
		help: {type: 'boolean', short: 'h', default: false},
	},
});

if (options.help) {
	process.stdout.write(readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n').slice(1).filter(line => line.startsWith('//')).map(line => line.slice(3)).join('\n') + '\n');
	process.exit(0);
}

const {quick} = options;
const reps = options.reps ?? (quick ? '1' : '3');
const sweep = (options.sweep ?? (quick ? '1,16' : '1,4,16,64,128')).split(',').map(Number);
const skip = new Set(options.skip.split(',').filter(Boolean));
let proxies = options.proxies.split(',').filter(Boolean);
const notes = [];
const log = line => process.stderr.write(`[bench] ${line}\n`);

// --quick and --no-wait take what they get; a full run waits for a quiet machine and repeats disturbed runs.
const common = [...(quick ? ['--quick'] : []), ...(quick || options['no-wait'] ? ['--quiet-max', '100', '--retries', '0'] : [])];

mkdirSync(path.join(here, 'results'), {recursive: true});
const stamp = new Date().toISOString().replaceAll(/[.:]/g, '-').slice(0, 19);
const out = path.join(here, 'results', `${stamp}${quick ? '-quick' : ''}.jsonl`);
const work = mkdtempSync(path.join(tmpdir(), 'mcpd-bench-'));
const started = Date.now();

/**
Runs peers.sh; each JSON line it prints is stored with `extra` merged in.
@param args
@param extra
*/
async function peersRun(args, extra) {
	const child = spawn('bash', [peers, ...common, ...args], {stdio: ['ignore', 'pipe', 'inherit']});
	let text = '';
	child.stdout.on('data', chunk => {
		text += chunk;
	});
	const code = await new Promise(resolve => {
		child.on('close', resolve);
	});
	for (const line of text.split('\n').filter(line => line.startsWith('{'))) {
		appendFileSync(out, JSON.stringify({...JSON.parse(line), ...extra}) + '\n');
	}

	if (code !== 0) {notes.push(`bench/kit/peers.sh ${args.at(-1).split(' ', 1)[0]} (${extra.suite}) ended with exit status ${code}; its figures may be missing`);}
	return code;
}

const mcpdCommand = config => `node ${path.join(root, 'bin/mcpd.js')} --no-tui --log-level warn --port {PORT} ${config ? `--config ${config}` : '-- {SERVER}'}`;

/**
Peers.sh arguments for one proxy name.
@param proxy
*/
function target(proxy) {
	if (proxy === 'bare') {
		return ['--name', 'bare', '--url', 'http://127.0.0.1:{PORT}/mcp', `node ${path.join(here, 'bare-relay.mjs')} --port {PORT} -- {SERVER}`];
	}

	return proxy === 'mcpd' ? ['--name', 'mcpd', '--url', 'http://127.0.0.1:{PORT}/mcp', mcpdCommand()] : [proxy];
}

/**
 A config serving a copy of the echo server as [server.echo] (the copy is how peers.sh
 counts its processes), with `settings` (TOML) after the server's command.
@param name
@param settings
*/
function echoConfig(name, settings) {
	const server = path.join(work, `echo-server-${name}.mjs`);
	copyFileSync(path.join(here, 'echo-server.mjs'), server);
	const config = path.join(work, `${name}.toml`);
	writeFileSync(config, `[server.echo]\ncommand = ${JSON.stringify(process.execPath)}\nargs = [${JSON.stringify(server)}]\n${settings}`);
	return {config, server};
}

async function installPeers() {
	if (proxies.some(proxy => proxy === 'supergateway' || proxy === 'mcp-proxy') && await new Promise(resolve => {
		spawn('bash', [peers, 'install'], {stdio: ['ignore', 'inherit', 'inherit']}).on('close', resolve);
	}) !== 0) {
		notes.push('supergateway and mcp-proxy could not be installed (npm unreachable?): not measured');
		proxies = proxies.filter(proxy => proxy !== 'supergateway' && proxy !== 'mcp-proxy');
	}

	if (proxies.includes('seed')) {
		const code = await new Promise(resolve => {
			spawn('bash', [peers, 'install', 'seed'], {stdio: ['ignore', 'inherit', 'inherit']}).on('close', resolve);
		});
		if (code !== 0) {
			notes.push('the Python seed (mcp-streamablehttp-proxy) could not be installed here (no python3, or pip could not reach a package index): not measured');
			proxies = proxies.filter(proxy => proxy !== 'seed');
		}
	}
}

async function main() {
	if (!existsSync(path.join(root, 'dist/cli.js'))) {
		log('dist/ is missing: npm run build');
		execFileSync('npm', ['run', 'build'], {cwd: root, stdio: ['ignore', 'inherit', 'inherit']});
	}

	await installPeers();
	writeFileSync(out, '');
	appendFileSync(out, JSON.stringify({
		suite: 'meta', quick, reps: Number(reps), sweep, proxies, node: process.version, started: new Date(started).toISOString(),
	}) + '\n');

	if (!skip.has('main')) {
		for (const proxy of proxies) {
			log(`main: ${proxy}`);
			await peersRun(['--reps', reps, '--workloads', quick ? 'A,B,D,F' : 'A,B,C,D,E,F', ...target(proxy)], {suite: 'main'});
		}
	}

	if (!skip.has('prewarm') && proxies.includes('mcpd')) {
		const sessions = quick ? ['--quick'] : [];
		for (const prewarm of [0, 2]) {
			log(`prewarm: mcpd with prewarm = ${prewarm}`);
			const {config, server} = echoConfig(`prewarm-${prewarm}`, `prewarm = ${prewarm}\n`);
			await peersRun([...sessions, '--reps', reps, '--workloads', 'D', '--d-gap-ms', '200', '--server', `${process.execPath} ${server}`, '--name', `mcpd prewarm=${prewarm}`, '--url', 'http://127.0.0.1:{PORT}/mcp', mcpdCommand(config)], {suite: 'prewarm', prewarm});
		}
	}

	if (!skip.has('large')) {
		for (const proxy of proxies.filter(proxy => proxy === 'stdio' || proxy === 'mcpd')) {
			log(`large: ${proxy} with 32 MiB echoes`);
			await peersRun(['--reps', quick ? '1' : reps, '--workloads', 'C', '--c-bytes', String(32 * 1024 * 1024), '--c-calls', quick ? '1' : '5', ...target(proxy)], {suite: 'large'});
		}
	}

	if (!skip.has('scale')) {
		// The sweep's 128 sessions are over mcpd's default max_total of 100, which would refuse 28 of them with 503.
		const {config, server} = echoConfig('sweep', '\n[sessions]\nmax_total = 0\n');
		for (const sessions of sweep) {
			// The bare relay is a reference for the main table; the sweep compares the proxies people run.
			for (const proxy of proxies.filter(proxy => proxy !== 'bare')) {
				log(`scale: ${proxy} at ${sessions} sessions`);
				const what = proxy === 'mcpd'
					? ['--server', `${process.execPath} ${server}`, '--name', 'mcpd', '--url', 'http://127.0.0.1:{PORT}/mcp', mcpdCommand(config)]
					: target(proxy);
				await peersRun(['--reps', quick ? '1' : '2', '--workloads', 'B', '--b-sessions', String(sessions), ...what], {suite: 'scale', sessions});
			}
		}
	}

	if (!skip.has('demo')) {
		log('demo: start to initialize, bare node and mcpd demo-server');
		const demo = await measureDemoStart({runs: quick ? 5 : 30});
		appendFileSync(out, JSON.stringify({suite: 'demo', ...demo}) + '\n');
	}

	const minutes = (Date.now() - started) / 60_000;
	appendFileSync(out, JSON.stringify({suite: 'notes', notes, minutes: Math.round(minutes * 10) / 10}) + '\n');
	const report = renderReport(readFileSync(out, 'utf8'));
	const markdown = out.replace(/\.jsonl$/, '.md');
	writeFileSync(markdown, report);
	process.stdout.write(`${report}\n`);
	log(`raw results: ${path.relative(root, out)}; report: ${path.relative(root, markdown)} (${minutes.toFixed(1)} min)`);
	if (options.readme) {
		if (quick || options['no-wait']) {
			log('--readme with --quick or --no-wait: README.md left alone (its figures come from full, undisturbed runs)');
		} else {
			updateReadme(path.join(root, 'README.md'), report);
			log('README.md: performance block rewritten');
		}
	}
}

for (const name of skip) {
	if (SUITES.includes(name)) {
		continue;
	}

	process.stderr.write(`bench: --skip ${name}: not a suite (${SUITES.join(', ')})\n`);
	process.exit(2);
}

try {
	await main();
} finally {
	rmSync(work, {recursive: true, force: true});
}
