import process from 'node:process';
import {loadMeow} from './lib/meow.js';
import {applyOverrides, ConfigError, defaultConfig, findConfigFile, loadConfig, serverDefaults} from './config/load.js';
import type {Config} from './config/types.js';
import {commandProblems, describeCommandProblem} from './core/command-check.js';
import {embeddedConfig} from './embedded.js';
import {isLoopbackHost} from './http/guard.js';
import {serve} from './serve.js';
import {pickTheme} from './ui/pick-theme.js';
import {chatTarget} from './web/chat-target.js';
import {VERSION} from './version.js';

const HELP = `
  Usage
    $ mcpd [options]                   serve the servers of the config file
    $ mcpd [options] -- COMMAND ARGS   serve one stdio command at /mcp
    $ mcpd ask [options] "task"        run a task on the agent server (mcpd ask --help)
    $ mcpd import FILE                 print a Claude/Cursor/VS Code JSON config as mcpd TOML
    $ mcpd check [--config FILE]       start each server once, list its tools, print a table

  Options
    -c, --config FILE      config file (default: ./mcpd.toml, then $XDG_CONFIG_HOME/mcpd/config.toml;
                           with none, a built-in demo server)
    --host HOST            interface to bind (default 127.0.0.1; env MCP_BIND_HOST)
    -p, --port PORT        port (default 3000; env MCP_PORT)
    --timeout SECONDS      idle timeout of sessions (default 300)
    --log-level LEVEL      debug, info, warn or error (default info)
    --log-format FORMAT    text or json, for the headless log (default text)
    --log-file FILE        also append the log to FILE (env LOG_FILE)
    --no-tui               log lines instead of the dashboard, even on a terminal
    --read-only            dashboard without kill and restart
    --web                  serve the chat page at /chat/ ([web] enabled = true)
    --no-color             no colours (also NO_COLOR=1 or TERM=dumb)
    --theme THEME          dashboard colours for a dark or light terminal: dark, light or auto
                           (default; from COLORFGBG) (env MCPD_THEME)
    --insecure-no-auth     allow a non-loopback --host without http.token
    --check                validate the config and that every command can be found, and exit
                           (1: a command is missing or not executable, 2: the config is invalid)
    --watch                reload the config file whenever it changes (SIGUSR2 reloads too,
                           and SIGHUP without the dashboard)
    --instance-id ID       start session ids with ID, for a load balancer in front of
                           several mcpd (env MCPD_INSTANCE_ID)

  Endpoints
    POST|GET|DELETE /servers/NAME/mcp   one MCP session = one child process
    /mcp                                the only server, or the one named "default"
    GET /healthz, GET /status, GET /metrics
    GET /chat/                          the chat page, with --web

  Examples
    $ mcpd
    $ mcpd --config mcpd.toml --port 8080
    $ mcpd -- python -m mcp_server_fetch
`;

/**
Exit status for bad input: a config error, a bad flag. Nothing was started.
*/
const USAGE = 2;

export async function main(argv: string[]): Promise<void> {
	if (argv[0] === 'demo-server') {
		const {runDemoServer} = await import('./demo/server.js');
		await runDemoServer();
		return;
	}

	if (argv[0] === 'ask') {
		const {runAskCli} = await import('./ask/ask-cli.js');
		process.exitCode = await runAskCli(argv.slice(1));
		return;
	}

	if (argv[0] === 'import') {
		await runImport(argv.slice(1));
		return;
	}

	const checkServersOnce = argv[0] === 'check';
	if (checkServersOnce) {
		argv = argv.slice(1);
	}

	// Everything after `--` is the child's, untouched: flags there belong to it, not to mcpd.
	const dashDash = argv.indexOf('--');
	const command = dashDash === -1 ? [] : argv.slice(dashDash + 1);
	const own = dashDash === -1 ? argv : argv.slice(0, dashDash);

	const meow = await loadMeow();
	const cli = meow(HELP, {
		importMeta: import.meta,
		argv: own,
		pkg: {name: 'mcpd', version: VERSION},
		allowUnknownFlags: false,
		flags: {
			config: {type: 'string', shortFlag: 'c'},
			host: {type: 'string'},
			port: {type: 'string', shortFlag: 'p'},
			timeout: {type: 'string'},
			logLevel: {type: 'string'},
			logFormat: {type: 'string'},
			logFile: {type: 'string'},
			tui: {type: 'boolean', default: true},
			readOnly: {type: 'boolean', default: false},
			color: {type: 'boolean', default: true},
			insecureNoAuth: {type: 'boolean', default: false},
			check: {type: 'boolean', default: false},
			instanceId: {type: 'string'},
			watch: {type: 'boolean', default: false},
			web: {type: 'boolean', default: false},
			theme: {type: 'string'},
		},
	});

	if (cli.input.length > 0) {
		fail(`unexpected argument "${cli.input[0]}"; to serve a command, put it after --: mcpd -- ${cli.input.join(' ')}`);
		return;
	}

	let config: Config;
	try {
		config = resolveConfig(cli.flags, command);
		if (cli.flags.web) {
			config = applyOverrides(config, {web: true});
		}
	} catch (error) {
		if (!(error instanceof ConfigError)) {
			throw error;
		}

		fail(error.message);
		return;
	}

	if (checkServersOnce) {
		const {checkServers, formatCheck} = await import('./check/check-servers.js');
		const results = await checkServers(config, process.env, VERSION);
		process.stdout.write(formatCheck(results));
		process.exitCode = results.some(result => result.status === 'failed') ? 1 : 0;
		return;
	}

	if (!isLoopbackHost(config.http.host) && config.http.token === undefined && !cli.flags.insecureNoAuth) {
		fail(`refusing to listen on ${config.http.host} without http.token: anyone who can reach it could run the configured servers. `
			+ 'Set [http] token (e.g. token = "${env:MCPD_TOKEN}"), or pass --insecure-no-auth.');
		return;
	}

	if (config.servers.length === 0) {
		fail(`${config.source}: no [server.NAME] tables; add one (see config.example.toml)`);
		return;
	}

	if (config.web.enabled) {
		const found = chatTarget(config, process.env);
		if ('problem' in found) {
			fail(found.problem);
			return;
		}
	}

	if (cli.flags.check) {
		const problems = commandProblems(config.servers, process.env);
		if (problems.length > 0) {
			for (const problem of problems) {
				process.stderr.write(`mcpd: ${config.source}: ${describeCommandProblem(problem)}\n`);
			}

			process.exitCode = 1;
			return;
		}

		process.stdout.write(`${config.source}: ok (${config.servers.map(server => server.name).join(', ')})\n`);
		return;
	}

	const interactive = cli.flags.tui && process.stdin.isTTY && process.stdout.isTTY;
	// Only a config read from a file can be read again.
	const fromFile = command.length === 0 && findConfigFile({explicit: cli.flags.config, cwd: process.cwd(), env: process.env}) !== undefined;
	if (!fromFile && cli.flags.watch) {
		fail('--watch needs a config file (--config FILE, ./mcpd.toml or $XDG_CONFIG_HOME/mcpd/config.toml)');
		return;
	}

	const theme = pickTheme(cli.flags.theme ?? process.env.MCPD_THEME, process.env.COLORFGBG);
	if (!theme) {
		fail(`--theme must be dark, light or auto, not "${cli.flags.theme ?? process.env.MCPD_THEME}"`);
		return;
	}

	await serve(config, {
		interactive,
		theme,
		readOnly: cli.flags.readOnly,
		reloadConfig: fromFile ? () => resolveConfig(cli.flags, command) : undefined,
		watch: cli.flags.watch ? config.source : undefined,
	});
}

type Flags = {
	config?: string;
	host?: string;
	port?: string;
	timeout?: string;
	logLevel?: string;
	logFormat?: string;
	logFile?: string;
	instanceId?: string;
};

function resolveConfig(flags: Flags, command: string[]): Config {
	const {env} = process;
	const cwd = process.cwd();
	let config: Config;
	if (command.length > 0) {
		if (flags.config !== undefined) {
			throw new ConfigError('--config', [{line: undefined, key: undefined, reason: 'cannot be combined with -- COMMAND'}]);
		}

		config = defaultConfig([serverDefaults('default', command[0], command.slice(1))], `mcpd -- ${command[0]}`);
	} else {
		const file = findConfigFile({explicit: flags.config, cwd, env});
		config = file === undefined ? embeddedConfig() : loadConfig({file, cwd, env});
	}

	// MCP_BIND_HOST, MCP_PORT and LOG_FILE (the names the earlier Python proxy read, kept for its users), then flags: the most explicit wins.
	config = applyOverrides(config, {
		// eslint-disable-next-line @typescript-eslint/prefer-nullish-coalescing -- an empty variable counts as unset, so `||` rather than `??`
		host: env.MCP_BIND_HOST || undefined, port: env.MCP_PORT || undefined, logFile: env.LOG_FILE || undefined, instanceId: env.MCPD_INSTANCE_ID || undefined,
	}, 'environment');
	return applyOverrides(config, {
		host: flags.host,
		port: flags.port,
		logLevel: flags.logLevel,
		logFormat: flags.logFormat,
		logFile: flags.logFile,
		idleTimeoutSeconds: flags.timeout,
		instanceId: flags.instanceId,
	}, 'command line');
}

async function runImport(args: string[]): Promise<void> {
	if (args.length !== 1 || args[0].startsWith('-')) {
		fail('usage: mcpd import FILE   (a claude_desktop_config.json, .mcp.json, .cursor/mcp.json or .vscode/mcp.json)');
		return;
	}

	const [{readFile}, {importConfig, ImportError}] = await Promise.all([import('node:fs/promises'), import('./config/import.js')]);
	let text: string;
	try {
		text = await readFile(args[0], 'utf8');
	} catch (error) {
		fail(`cannot read ${args[0]}: ${(error as Error).message}`);
		return;
	}

	try {
		process.stdout.write(importConfig(text, args[0]));
	} catch (error) {
		if (!(error instanceof ImportError)) {
			throw error;
		}

		fail(error.message);
	}
}

function fail(message: string): void {
	process.stderr.write(`mcpd: ${message}\n`);
	process.exitCode = USAGE;
}
