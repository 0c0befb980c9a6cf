/**
 `mcpd ask "task"`: one agent run from the shell. The answer goes to stdout
 (rendered on a terminal, the raw Markdown otherwise, so pipes and files get
 clean text); progress, logs and errors go to stderr.

 It never starts mcpd behind the user's back: without `--start` it needs a
 running mcpd and says how to start one when none answers.
 */
import {readFileSync} from 'node:fs';
import process from 'node:process';
import {loadMeow} from '../lib/meow.js';
import {VERSION} from '../version.js';
import {AgentClient} from '../agent/agent-client.js';
import {AgentSetupError, findAgentServer, serverUrl} from '../agent/discover.js';
import {markdownToAnsi} from '../lib/markdown-ansi.js';
import {markdownToPlain} from '../lib/markdown.js';
import {listServers, StatusError} from '../agent/mcpd-servers.js';
import type {AgentOutcome} from '../agent/outcome.js';
import {authHeaders} from '../agent/endpoint.js';
import {describeFailure} from '../agent/setup-help.js';
import type {LocalMcpd} from './ask-local.js';
import {type AskSettings, askSettings, AskUsageError} from './ask-settings.js';
import {AskReporter} from './ask-progress.js';

const HELP = `
  Usage
    $ mcpd ask [options] TASK...

  Sends TASK to the agent (the run_agent tool) through a running mcpd and
  prints its answer. The answer goes to stdout, progress and logs to stderr.
  TASK "-" reads the task from stdin.

  Options
    --server NAME        the agent's server (default: [agent] server, else the
                         one server offering the tool)
    --url URL            mcpd's address (default: http://127.0.0.1:PORT with the
                         port of the config mcpd would read, else 3000); a URL
                         ending in /mcp is the agent's endpoint itself
    --timeout SECONDS    the tool's own timeout argument (default [agent] timeout, 120)
    -c, --config FILE    run mcpd with this config inside this command for the
                         one call (without it: talk to the running mcpd whose
                         port ./mcpd.toml or $XDG_CONFIG_HOME/mcpd/config.toml sets)
    --token TOKEN        bearer token (default: [http] token, then $MCPD_TOKEN)
    --start              run mcpd inside this command for the one call, with the
                         config mcpd would find (or the built-in demo)
    --no-color           no colours in the answer, even on a terminal

  Exit status
    0 answer, 1 the agent failed or timed out, 2 usage, setup or connection
    problem, 130 interrupted (Ctrl+C cancels the run)

  Examples
    $ mcpd ask "how many lines has README.md?"
    $ mcpd ask --server agent "summarise the open issues" > summary.md
    $ mcpd ask --config mcpd.toml "list the files in /tmp"
`;

const USAGE = 2;
const FAILED = 1;
const INTERRUPTED = 130;

export async function runAskCli(argv: string[]): Promise<number> {
	const meow = await loadMeow();
	const cli = meow(HELP, {
		importMeta: import.meta,
		argv,
		pkg: {name: 'mcpd', version: VERSION},
		allowUnknownFlags: false,
		flags: {
			server: {type: 'string'},
			url: {type: 'string'},
			timeout: {type: 'string'},
			config: {type: 'string', shortFlag: 'c'},
			token: {type: 'string'},
			start: {type: 'boolean', default: false},
			color: {type: 'boolean', default: true},
		},
	});

	const say = (line: string) => process.stderr.write(`mcpd ask: ${line}\n`);
	let task = cli.input.join(' ').trim();
	if (task === '-') {
		task = readFileSync(0, 'utf8').trim();
	}

	if (task === '') {
		say('no task given; usage: mcpd ask [options] "TASK" (mcpd ask --help for more)');
		return USAGE;
	}

	// A config named on the command line is the one to run: in this process, for this call.
	const start = cli.flags.start || (cli.flags.config !== undefined && cli.flags.url === undefined);
	let settings: AskSettings;
	try {
		settings = askSettings({...cli.flags, start}, process.env, process.cwd());
	} catch (error) {
		if (!(error instanceof AskUsageError)) {
			throw error;
		}

		say(error.message);
		return USAGE;
	}

	for (const note of settings.notes) {
		say(note);
	}

	const headers = authHeaders(settings.token);
	let local: LocalMcpd | undefined;
	const controller = new AbortController();
	let interruptedBy: NodeJS.Signals | undefined;
	const onSignal = (signal: NodeJS.Signals) => {
		// A second Ctrl+C does not wait for the cancel to be delivered.
		if (interruptedBy !== undefined) {
			process.exit(INTERRUPTED);
		}

		interruptedBy = signal;
		controller.abort();
	};

	process.on('SIGINT', onSignal);
	process.on('SIGTERM', onSignal);
	try {
		if (start) {
			const {startLocalMcpd} = await import('./ask-local.js');
			const {embeddedConfig} = await import('../embedded.js');
			local = await startLocalMcpd(settings.config ?? embeddedConfig());
		}

		const base = local?.base ?? settings.base!;
		let {endpoint} = settings;
		if (!endpoint) {
			const found = await locateAgent(settings, base, headers, local);
			if (typeof found === 'string') {
				say(found);
				return USAGE;
			}

			endpoint = found;
		}

		if (controller.signal.aborted) {
			return INTERRUPTED;
		}

		const reporter = new AskReporter(process.stderr);
		const client = new AgentClient({
			url: endpoint, headers, tag: 'ask', clientName: 'mcpd-ask', stderrOf: local?.stderrOf,
		});
		let outcome: AgentOutcome;
		try {
			outcome = await client.run({
				task,
				tool: settings.agent.tool,
				timeout: settings.agent.timeout,
				maxTotalMs: settings.agent.maxTotalMs,
				signal: controller.signal,
				onProgress: reporter.progress,
				onLog: reporter.log,
			});
		} finally {
			reporter.done();
			await client.close();
		}

		return report(outcome, {
			color: cli.flags.color, base, say, startHint: !start,
		});
	} finally {
		process.off('SIGINT', onSignal);
		process.off('SIGTERM', onSignal);
		await local?.stop();
	}
}

/**
The agent's endpoint, or a message saying why there is none.
*/
async function locateAgent(settings: AskSettings, base: string, headers: Record<string, string>, local: LocalMcpd | undefined): Promise<URL | string> {
	const {agent} = settings;
	// A named server needs no listing: mcpd's own 404 names the servers it has.
	if (agent.server) {
		return serverUrl(base, agent.server);
	}

	let servers: string[];
	if (local) {
		servers = local.servers;
	} else {
		try {
			servers = await listServers(base, headers);
		} catch (error) {
			if (!(error instanceof StatusError)) {
				throw error;
			}

			return error.unreachable ? unreachableMessage(base) : error.message;
		}
	}

	try {
		return (await findAgentServer({
			base, servers, configured: agent.server, tool: agent.tool, headers,
		})).url;
	} catch (error) {
		if (error instanceof AgentSetupError) {
			return error.message;
		}

		throw error;
	}
}

function unreachableMessage(base: string): string {
	return `cannot reach mcpd at ${base} (is it running? start it with: mcpd, or run this once with: mcpd ask --start)`;
}

type ReportOptions = {
	color: boolean;
	base: string;
	say: (line: string) => void;
	startHint: boolean;
};

function report(outcome: AgentOutcome, {color, base, say, startHint}: ReportOptions): number {
	switch (outcome.kind) {
		case 'answer': {
			printAnswer(outcome.text, color);
			return 0;
		}

		case 'tool-error': {
			printAnswer(outcome.text, color);
			say('the agent reported a failure');
			return FAILED;
		}

		case 'cancelled': {
			say('cancelled');
			return INTERRUPTED;
		}

		case 'timeout': {
			say(`timed out: ${outcome.message}`);
			return FAILED;
		}

		case 'failed': {
			if (outcome.cause === 'unreachable') {
				say(startHint ? unreachableMessage(base) : outcome.message);
				return USAGE;
			}

			say(describeFailure(outcome));
			return outcome.cause === 'refused' ? USAGE : FAILED;
		}
	}
}

/**
Rendered for a person on a terminal; the Markdown as sent for pipes and files.
*/
function printAnswer(text: string, color: boolean): void {
	const body = process.stdout.isTTY ? (color && !process.env.NO_COLOR && process.env.TERM !== 'dumb' ? markdownToAnsi(text) : markdownToPlain(text)) : text;
	process.stdout.write(body.endsWith('\n') ? body : `${body}\n`);
}
