/**
 The dashboard's prompt pane, minus the screen: runs one task at a time on an
 `AgentClient` and publishes immutable snapshots for `useSyncExternalStore`.

 A `submit` while a run is in flight is ignored (the text still lands in
 `history`, so ↑ brings it back): queueing would start an expensive agent
 run the user can no longer see coming. Cancel first, then submit.
 */
import type {PromptPort, PromptSnapshot, PromptPastRun} from '../ui/prompt-port.js';
import type {RunOptions} from '../agent/agent-client.js';
import type {AgentOutcome, AgentProgress} from '../agent/outcome.js';
import {describeFailure} from '../agent/setup-help.js';
import {appendLog} from './log-fold.js';

/**
A finished run, kept for the dashboard's `[`/`]`; the shape the UI declares.
*/
export type PastRun = PromptPastRun;

/**
`PromptSnapshot` plus what a richer pane may show.
*/
export type AgentSnapshot = {
	/**
	Finished runs, oldest first, with their answers or errors.
	*/
	past: PastRun[];
	/**
	The server the agent runs on, once known.
	*/
	server?: string;
	/**
	The run's hard cap (`[agent] max_total`), to show beside the elapsed time.
	*/
	maxTotalMs: number;
	/**
	The agent process's last stderr lines when it died.
	*/
	stderr?: string[];
} & PromptSnapshot;

/**
What the controller needs of an `AgentClient`; tests may pass their own.
*/
export type AgentRunner = {
	run(options: RunOptions): Promise<AgentOutcome>;
	close(): Promise<void>;
};

export type PromptControllerOptions = {
	/**
	 Finds and connects the agent on first use (again after a failure). A throw
	 becomes state `error` with its message, so it should say how to fix the setup.
	 */
	connect: () => Promise<{runner: AgentRunner; server: string}>;
	tool: string;
	/**
	Seconds, the tool's own `timeout` argument.
	*/
	timeout: number;
	maxTotalMs: number;
	/**
	How often the elapsed time (and any pending log or progress) is published.
	*/
	tickMs?: number;
	maxLogs?: number;
	maxPast?: number;
	maxHistory?: number;
	now?: () => number;
};

type ActiveRun = {
	id: number;
	task: string;
	startedAt: number;
	controller: AbortController;
};

export class PromptController implements PromptPort {
	readonly #options: PromptControllerOptions;
	readonly #now: () => number;
	readonly #listeners = new Set<() => void>();
	#snapshot: AgentSnapshot;
	#run: ActiveRun | undefined;
	#runs = 0;
	#runner: Promise<{runner: AgentRunner; server: string}> | undefined;
	#timer: NodeJS.Timeout | undefined;
	/**
	Log and progress changes wait for the next tick, so a chatty agent costs at most one render per tick.
	*/
	#pending: {logs?: string[]; progress?: AgentProgress} = {};
	#closed = false;

	constructor(options: PromptControllerOptions) {
		this.#options = options;
		this.#now = options.now ?? Date.now;
		this.#snapshot = {
			state: 'idle', logs: [], history: [], past: [], maxTotalMs: options.maxTotalMs,
		};
	}

	getSnapshot = (): AgentSnapshot => this.#snapshot;

	subscribe = (listener: () => void): (() => void) => {
		this.#listeners.add(listener);
		return () => {
			this.#listeners.delete(listener);
		};
	};

	submit = (text: string): void => {
		const task = text.trim();
		if (task === '' || this.#closed) {
			return;
		}

		const history = this.#remember(task);
		if (this.#run) {
			if (history !== this.#snapshot.history) {
				this.#publish({history});
			}

			return;
		}

		const run: ActiveRun = {
			id: ++this.#runs, task, startedAt: this.#now(), controller: new AbortController(),
		};
		this.#run = run;
		this.#pending = {};
		this.#publish({
			state: 'running', task, history, elapsedMs: 0, logs: [],
			progress: undefined, answer: undefined, error: undefined, stderr: undefined,
		});
		this.#timer = setInterval(this.#tick, this.#options.tickMs ?? 250);
		this.#timer.unref();
		void this.#execute(run);
	};

	cancel = (): void => {
		const run = this.#run;
		if (!run) {
			return;
		}

		run.controller.abort();
		// Shown at once; whatever the run still delivers is dropped by its id.
		this.#finish(run, {state: 'cancelled'});
	};

	/**
	Cancels a run in flight and ends the agent's session.
	*/
	async close(): Promise<void> {
		this.cancel();
		this.#closed = true;
		const connecting = this.#runner;
		this.#runner = undefined;
		await connecting?.then(async ({runner}) => runner.close(), () => undefined);
	}

	async #execute(run: ActiveRun): Promise<void> {
		let connected: {runner: AgentRunner; server: string};
		try {
			this.#runner ??= this.#options.connect();
			connected = await this.#runner;
		} catch (error) {
			this.#runner = undefined;
			if (this.#run === run) {
				this.#finish(run, {state: 'error', error: error instanceof Error ? error.message : String(error)});
			}

			return;
		}

		if (this.#run !== run) {
			return;
		}

		if (this.#snapshot.server !== connected.server) {
			this.#publish({server: connected.server});
		}

		const outcome = await connected.runner.run({
			task: run.task,
			tool: this.#options.tool,
			timeout: this.#options.timeout,
			maxTotalMs: this.#options.maxTotalMs,
			signal: run.controller.signal,
			onProgress: progress => {
				if (this.#run === run) {
					this.#pending.progress = progress;
				}
			},
			onLog: line => {
				if (this.#run === run) {
					this.#pending.logs = appendLog(this.#pending.logs ?? this.#snapshot.logs, line, this.#options.maxLogs);
				}
			},
		});
		if (this.#run === run) {
			this.#finish(run, settle(outcome));
		}
	}

	readonly #tick = (): void => {
		const run = this.#run;
		if (!run) {
			return;
		}

		this.#publish({elapsedMs: this.#now() - run.startedAt, ...this.#pending});
		this.#pending = {};
	};

	#finish(run: ActiveRun, end: Pick<AgentSnapshot, 'state' | 'answer' | 'error' | 'stderr'>): void {
		clearInterval(this.#timer);
		this.#timer = undefined;
		this.#run = undefined;
		const elapsedMs = this.#now() - run.startedAt;
		const state = end.state as PastRun['state'];
		const past = [...this.#snapshot.past, {
			task: run.task, state, answer: end.answer, error: end.error, startedAt: run.startedAt, elapsedMs,
		}];
		const maxPast = this.#options.maxPast ?? 20;
		this.#publish({
			...this.#pending, ...end, elapsedMs, past: past.slice(-maxPast),
		});
		this.#pending = {};
	}

	/**
	The history with `task` added, or the same array when it repeats the last entry.
	*/
	#remember(task: string): string[] {
		const {history} = this.#snapshot;
		return history.at(-1) === task ? history : [...history, task].slice(-(this.#options.maxHistory ?? 100));
	}

	#publish(change: Partial<AgentSnapshot>): void {
		this.#snapshot = {...this.#snapshot, ...change};
		for (const listener of this.#listeners) {
			listener();
		}
	}
}

function settle(outcome: AgentOutcome): Pick<AgentSnapshot, 'state' | 'answer' | 'error' | 'stderr'> {
	switch (outcome.kind) {
		case 'answer': {return {state: 'done', answer: outcome.text};}

		case 'tool-error': {return {state: 'error', error: outcome.text};}

		case 'cancelled': {return {state: 'cancelled'};}

		case 'timeout': {return {state: 'error', error: `Timed out: ${outcome.message}`};}

		case 'failed': {return {state: 'error', error: describeFailure(outcome), stderr: outcome.stderr};}
	}
}
