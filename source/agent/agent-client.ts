/**
 A real MCP client of mcpd's own HTTP endpoint, so an agent run is a session
 like any other (dashboard row, latency, stderr). One session is kept across
 runs; runs are serialised.
 */
import {Client} from '@modelcontextprotocol/sdk/client/index.js';
import {LoggingMessageNotificationSchema} from '@modelcontextprotocol/sdk/types.js';
import {formatDuration} from '../lib/format.js';
import {VERSION} from '../version.js';
import {failureOf, goneSessionOf, isSessionGone, markGoneSession, stderrOfError} from './errors.js';
import {type AgentOutcome, type AgentProgress, classifyResult, type ToolResultLike} from './outcome.js';
import {TrackedTransport} from './tracked-transport.js';

export type AgentClientOptions = {
	/**
	The agent server's endpoint on mcpd, e.g. `http://127.0.0.1:3000/servers/agent/mcp`.
	*/
	url: string | URL;
	/**
	Sent on every request: `authorization`, `header_env` keys.
	*/
	headers?: Record<string, string>;
	/**
	`x-mcpd-tag`, which mcpd shows on the session.
	*/
	tag?: string;
	clientName?: string;
	/**
	 Only where mcpd runs in this process: the stderr of a session mcpd already
	 closed (see `watchEndedSessions`). Over plain HTTP a child that dies right
	 after `initialize` leaves nothing but a 404, so this is the only way to say why.
	 */
	stderrOf?: (sessionId: string) => string[] | undefined;
};

export type RunOptions = {
	task: string;
	tool?: string;
	/**
	Seconds; the tool's own `timeout` argument (the sandboxed code's limit, not the run's).
	*/
	timeout?: number;
	/**
	Hard cap on the whole run, however much progress flows.
	*/
	maxTotalMs?: number;
	/**
	Longest silence (no progress, no answer) tolerated; each progress restarts it.
	*/
	gapTimeoutMs?: number;
	signal?: AbortSignal;
	onProgress?: (progress: AgentProgress) => void;
	/**
	Log lines the server sends while this run is the one in flight.
	*/
	onLog?: (line: string, level: string) => void;
};

export const DEFAULT_TOOL = 'run_agent';
export const DEFAULT_TOOL_TIMEOUT_S = 120;
export const DEFAULT_MAX_TOTAL_MS = 3_600_000;
/**
A child that dies on every fresh session is not retried forever.
*/
const MAX_ATTEMPTS = 3;
/**
How long a cancel may take to reach mcpd before the run reports `cancelled` anyway.
*/
const CANCEL_SEND_MS = 2000;
/**
After a cancel, time the agent gets to see it before `close()` kills its process.
*/
const CANCEL_GRACE_MS = 250;

export class AgentClient {
	readonly url: URL;
	readonly #options: AgentClientOptions;
	#client: Client | undefined;
	#transport: TrackedTransport | undefined;
	#connecting: Promise<void> | undefined;
	/**
	No request has been answered on this session yet: a 404 now means its child died at start.
	*/
	#fresh = false;
	#current: RunOptions | undefined;
	#queue: Promise<unknown> = Promise.resolve();
	#cancelledAt = 0;

	constructor(options: AgentClientOptions) {
		this.#options = options;
		this.url = new URL(options.url);
	}

	get sessionId(): string | undefined {
		return this.#transport?.sessionId;
	}

	/**
	Opens the session if none is open. Throws what the SDK throws.
	*/
	async connect(): Promise<void> {
		if (this.#client) {
			return;
		}

		this.#connecting ??= this.#open().finally(() => {
			this.#connecting = undefined;
		});
		await this.#connecting;
	}

	async listTools(): Promise<string[]> {
		await this.connect();
		const names: string[] = [];
		let cursor: string | undefined;
		try {
			do {
				// eslint-disable-next-line no-await-in-loop -- each page is asked for with the cursor the last one returned
				const page = await this.#client!.listTools(cursor === undefined ? undefined : {cursor});
				this.#fresh = false;
				names.push(...page.tools.map(tool => tool.name));
				cursor = page.nextCursor;
			} while (cursor !== undefined);
		} catch (error) {
			markGoneSession(error, this.sessionId);
			throw error;
		}

		return names;
	}

	/**
	Never throws; runs wait for the one before them.
	*/
	async run(options: RunOptions): Promise<AgentOutcome> {
		const result = this.#queue.then(async () => this.#runNow(options));
		this.#queue = result.catch(() => undefined);
		return result;
	}

	/**
	Ends the session (DELETE: mcpd stops its process).
	*/
	async close(): Promise<void> {
		await this.#connecting?.catch(() => undefined);
		const client = this.#client;
		const transport = this.#transport;
		this.#client = undefined;
		this.#transport = undefined;
		if (!client || !transport) {
			return;
		}

		const sinceCancel = Date.now() - this.#cancelledAt;
		if (sinceCancel < CANCEL_GRACE_MS) {
			await new Promise(resolve => setTimeout(resolve, CANCEL_GRACE_MS - sinceCancel));
		}

		await transport.terminateSession().catch(() => undefined);
		await client.close().catch(() => undefined);
	}

	async #open(): Promise<void> {
		const headers = {...this.#options.headers, 'x-mcpd-tag': this.#options.tag ?? 'prompt'};
		const transport = new TrackedTransport(this.url, {requestInit: {headers}});
		const client = new Client({name: this.#options.clientName ?? 'mcpd-prompt', version: VERSION});
		client.setNotificationHandler(LoggingMessageNotificationSchema, notification => {
			const {data, level} = notification.params;
			this.#current?.onLog?.(typeof data === 'string' ? data : JSON.stringify(data), level);
		});
		// The SDK reports here e.g. the GET stream failing to reconnect after the
		// session ended; the next request finds out and reconnects, so nothing to do.
		client.onerror = () => undefined;
		try {
			await client.connect(transport);
		} catch (error) {
			// The 404 of a child that died right after `initialize` names its session; keep it for `#runNow`.
			markGoneSession(error, transport.sessionId);
			await client.close().catch(() => undefined);
			throw error;
		}

		this.#client = client;
		this.#transport = transport;
		this.#fresh = true;
	}

	async #runNow(options: RunOptions): Promise<AgentOutcome> {
		for (let attempt = 1; ; attempt++) {
			if (options.signal?.aborted) {
				return {kind: 'cancelled'};
			}

			let sessionId: string | undefined;
			let fresh = true;
			try {
				// eslint-disable-next-line no-await-in-loop -- each attempt waits for the one before it
				await this.connect();
				sessionId = this.sessionId;
				fresh = this.#fresh;
				// eslint-disable-next-line no-await-in-loop -- each attempt waits for the one before it
				return await this.#call(options);
			} catch (error) {
				sessionId ??= goneSessionOf(error);
				// A 404 to `initialize` itself (no session yet) is mcpd refusing, e.g. an unknown server.
				if (sessionId === undefined || !isSessionGone(error)) {
					return failureOf(error, this.url.origin);
				}

				// eslint-disable-next-line no-await-in-loop -- the retry follows the failed attempt
				await this.#drop();
				const stderr = stderrOfError(error) ?? this.#options.stderrOf?.(sessionId);
				// A session that never answered anything died at start: retrying would only spawn it again.
				if (fresh && stderr !== undefined) {
					return diedAtStart(stderr);
				}

				if (attempt >= MAX_ATTEMPTS) {
					return diedAtStart(stderr);
				}
			}
		}
	}

	/**
	Throws only a session-gone error (the caller reconnects); everything else is an outcome.
	*/
	async #call(options: RunOptions): Promise<AgentOutcome> {
		const client = this.#client!;
		const transport = this.#transport!;
		const maxTotalMs = options.maxTotalMs ?? DEFAULT_MAX_TOTAL_MS;
		// The code-mode agent's input schema says integer; `[agent] timeout` may be fractional.
		const timeout = Math.max(1, Math.round(options.timeout ?? DEFAULT_TOOL_TIMEOUT_S));
		// The tool's own timeout bounds only the generated code, so silence may last a while past it.
		const gapTimeoutMs = Math.min(maxTotalMs, options.gapTimeoutMs ?? Math.max(120_000, (timeout + 60) * 1000));
		const controller = new AbortController();
		// Abort and timeout both reject with -32001: only our own flag tells them apart.
		let stop: 'cancel' | 'cap' | undefined;
		const onAbort = () => {
			stop ??= 'cancel';
			controller.abort('cancelled by the user');
		};

		options.signal?.addEventListener('abort', onAbort, {once: true});
		// Our own cap, because the SDK's maxTotalTimeout is checked only when progress
		// arrives and then rejects without telling the server.
		const cap = setTimeout(() => {
			stop ??= 'cap';
			controller.abort(`the run reached its hard cap of ${formatDuration(maxTotalMs)}`);
		}, maxTotalMs);
		this.#current = options;
		try {
			const result = await client.callTool({name: options.tool ?? DEFAULT_TOOL, arguments: {task: options.task, timeout}}, undefined, {
				signal: controller.signal,
				onprogress({progress, total, message}) {
					if (!controller.signal.aborted) {
						options.onProgress?.({progress, total, message});
					}
				},
				resetTimeoutOnProgress: true,
				timeout: gapTimeoutMs,
				// A backstop only: ours above fires first and also cancels on the server.
				maxTotalTimeout: maxTotalMs + 5000,
			});
			this.#fresh = false;
			// The SDK's type also admits the 2024-era `{toolResult}` shape, which mcpd's servers never send.
			return classifyResult(result as ToolResultLike);
		} catch (error) {
			if (stop !== undefined) {
				this.#cancelledAt = Date.now();
				await transport.notificationsSent(CANCEL_SEND_MS);
				return stop === 'cancel' ? {kind: 'cancelled'} : {kind: 'timeout', message: `no answer within the hard cap of ${formatDuration(maxTotalMs)}`};
			}

			if (isSessionGone(error)) {
				throw error;
			}

			this.#fresh = false;
			const outcome = failureOf(error, this.url.origin);
			if (outcome.kind === 'timeout' && outcome.message === 'Request timed out') {
				return {kind: 'timeout', message: `no progress or answer for ${formatDuration(gapTimeoutMs)}`};
			}

			// Its process is gone; the next run starts a new session instead of meeting a 404.
			if (outcome.kind === 'failed' && outcome.cause === 'crashed') {
				await this.#drop();
			}

			return outcome;
		} finally {
			clearTimeout(cap);
			options.signal?.removeEventListener('abort', onAbort);
			if (this.#current === options) {
				this.#current = undefined;
			}
		}
	}

	/**
	Forgets a session mcpd no longer has: no DELETE, it would only 404.
	*/
	async #drop(): Promise<void> {
		const client = this.#client;
		this.#client = undefined;
		this.#transport = undefined;
		await client?.close().catch(() => undefined);
	}
}

function diedAtStart(stderr: string[] | undefined): AgentOutcome {
	const message = stderr === undefined
		? 'the agent server\'s process exited right after it started, several times; its stderr is in mcpd\'s log and on the dashboard'
		: 'the agent server\'s process exited right after it started';
	return {
		kind: 'failed', cause: 'crashed', message, ...(stderr !== undefined && {stderr}),
	};
}
