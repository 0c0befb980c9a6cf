// The chat page: one agent session per tab (its own process, its own keys),
// one task at a time, every task kept in the tab's history.

import {oneOf, keysDialog} from './keys-dialog.js';
import {Cancelled, HttpError, McpSession, RpcError, SessionGone} from './mcp-client.js';
import {classifyResult, formatElapsed, TIMEOUT_CODE, wantsKey} from './outcome.js';
import {RunView} from './run-view.js';
import {history, keys, token} from './storage.js';
import {askToken} from './token-dialog.js';

/**
Mcpd's "the child exited" error code.
*/
const SERVER_EXITED = -32_000;

const $ = id => /** @type {any} */ (document.getElementById(id));
const ui = {
	history: $('history'),
	empty: $('empty'),
	target: $('target'),
	session: $('session'),
	openKeys: $('open-keys'),
	notice: $('notice'),
	compose: $('compose'),
	task: $('task'),
	send: $('send'),
	cancel: $('cancel'),
	keys: $('keys'),
	token: $('token-dialog'),
};

/**
 @typedef {{server: string, endpoint: string, tool: string, timeout: number, maxTotalMs: number,
    keys: Array<{header: string, variable: string, preset: boolean}>, keysRequired: boolean, version: string}} ChatConfig
 */

const state = {
	/**
	@type {ChatConfig | undefined}
	*/
	config: undefined,
	/**
	@type {McpSession | undefined}
	*/
	session: undefined,
	/**
	@type {{controller: AbortController, view: RunView} | undefined}
	*/
	run: undefined,
	/**
	Keys or token changed during a run: the session goes once the run is over.
	*/
	stale: false,
	/**
	@type {{open: () => void} | undefined}
	*/
	keysDialog: undefined,
};

const authHeaders = () => (token.get() ? {authorization: `Bearer ${token.get()}`} : {});

/**
The next task's session, with the tab's keys as the server's header_env headers.
*/
function keyHeaders() {
	/**
	@type {Record<string, string>}
	*/
	const headers = {};
	for (const {header} of state.config?.keys ?? []) {
		const value = keys.get(header);
		if (value) {headers[header] = value;}
	}

	return headers;
}

const missingKeys = () => Boolean(state.config?.keysRequired) && Object.keys(keyHeaders()).length === 0;

function keysWanted() {
	return `This agent runs on your own key: enter ${oneOf((state.config?.keys ?? []).map(key => key.variable))}.`;
}

/**
 @param {string} text
 @param {{tone?: 'info' | 'error', action?: {label: string, run: () => void}}} [options]
 */
function notice(text, options = {}) {
	const box = ui.notice;
	box.hidden = text === '';
	box.dataset.tone = options.tone ?? 'info';
	box.querySelector('.notice-text').textContent = text;
	const button = box.querySelector('.notice-action');
	button.hidden = options.action === undefined;
	button.textContent = options.action?.label ?? '';
	// Assigned, not added: the button is reused and must run only the current action.
	// eslint-disable-next-line unicorn/prefer-add-event-listener
	button.onclick = options.action?.run ?? null;
}

/**
For a process that said it has no API key.
*/
function lacksKeyHelp() {
	const names = (state.config?.keys ?? []).map(key => key.variable);
	return names.length > 0
		? `It says it has no API key: enter yours in Keys (${oneOf(names)}), then send the task again.`
		: 'It says it has no API key, and this page has no key fields: the server\'s config must give it one (its env, or header_env for the keys of the page\'s users).';
}

function showKeyNotice() {
	if (missingKeys()) {notice(keysWanted(), {action: {label: 'Enter keys', run: openKeys}});} else {notice('');}
}

function openKeys() {
	state.keysDialog?.open();
}

/**
Keep the newest output in view, unless the user scrolled up to read.
*/
function follow() {
	const box = ui.history;
	if (box.scrollHeight - box.scrollTop - box.clientHeight < 160) {box.scrollTop = box.scrollHeight;}
}

function setRunning(running) {
	ui.send.disabled = running;
	ui.cancel.hidden = !running;
	ui.cancel.disabled = false;
}

async function dropSession() {
	const {session} = state;
	state.session = undefined;
	ui.session.hidden = true;
	await session?.close();
}

async function ensureSession() {
	if (state.session) {return state.session;}
	const config = /** @type {ChatConfig} */ (state.config);
	const session = new McpSession({
		url: config.endpoint,
		token: token.get(),
		keys: keyHeaders(),
		clientInfo: {name: 'mcpd-web', version: config.version},
	});
	await session.open();
	state.session = session;
	ui.session.textContent = `session ${session.id?.slice(0, 8)}`;
	ui.session.dataset.id = session.id ?? '';
	ui.session.title = `This tab's agent session on mcpd (${session.id}); the dashboard shows it tagged [web].`;
	ui.session.hidden = false;
	return session;
}

/**
 @param {string} task
 @param {RunView} view
 @param {AbortSignal} signal
 */
async function call(task, view, signal) {
	const config = /** @type {ChatConfig} */ (state.config);
	for (let attempt = 1; ; attempt++) {
		let session;
		try {
			session = await ensureSession();
			return await session.callTool(config.tool, {task, timeout: config.timeout}, {
				signal,
				onProgress: params => view.onProgress(params),
				onLog: params => view.onLog(params),
			});
		} catch (error) {
			if (error instanceof SessionGone) {
				state.session = undefined;
				ui.session.hidden = true;
				// A session that had answered before expired while idle: a fresh one, once.
				if (session?.answered && attempt === 1 && !signal.aborted) {continue;}
			}

			throw error;
		}
	}
}

/**
 @param {unknown} error
 @param {boolean} capped the page's own hard cap cancelled the run
 @returns {import('./run-view.js').RunEnd & {needsKey?: boolean, tokenRefused?: boolean}}
 */
function failure(error, capped) {
	const config = /** @type {ChatConfig} */ (state.config);
	if (error instanceof Cancelled) {
		return capped
			? {state: 'timeout', message: `No answer within the page's hard cap of ${formatElapsed(config.maxTotalMs)}; the agent was told to stop.`}
			: {state: 'cancelled', message: 'Cancelled: the agent was told to stop.'};
	}

	if (error instanceof SessionGone) {
		const stderr = stringList(error.data?.stderr);
		const why = error.data?.reason ? ` (${error.data.reason})` : '';
		return {
			state: 'failed', message: `The agent's process ended${why} before it answered.`, stderr, needsKey: wantsKey(stderr),
		};
	}

	if (error instanceof HttpError) {
		if (error.status === 401) {return {state: 'failed', message: `mcpd refused the access token: ${error.message}`, tokenRefused: true};}
		const later = error.retryAfter ? ` Try again in ${error.retryAfter} s.` : '';
		return {state: 'failed', message: `mcpd answered ${error.status}: ${error.message}${later}`};
	}

	if (error instanceof RpcError) {
		const stderr = stringList(error.data?.stderr);
		if (error.code === TIMEOUT_CODE) {return {state: 'timeout', message: `Timed out: ${error.message}`};}
		// Its process is gone: the next task starts a new one instead of meeting a 404.
		if (error.code === SERVER_EXITED) {void dropSession();}
		return {
			state: 'failed', message: `${error.message} (JSON-RPC error ${error.code})`, stderr, needsKey: wantsKey(stderr),
		};
	}

	return error instanceof TypeError ? {state: 'failed', message: `Cannot reach mcpd: ${error.message}`} : {state: 'failed', message: error instanceof Error ? error.message : String(error)};
}

/**
@param {unknown} value
*/
function stringList(value) {
	return Array.isArray(value) ? value.filter(line => typeof line === 'string') : undefined;
}

/**
@param {string} task
*/
async function run(task) {
	const config = /** @type {ChatConfig} */ (state.config);
	ui.empty.hidden = true;
	const view = new RunView(task, follow);
	ui.history.append(view.element);
	const controller = new AbortController();
	state.run = {controller, view};
	setRunning(true);
	view.start();
	follow();
	let capped = false;
	const cap = setTimeout(() => {
		capped = true;
		controller.abort(`the run reached the page's hard cap of ${formatElapsed(config.maxTotalMs)}`);
	}, config.maxTotalMs);
	const startedAt = Date.now();
	/**
	@type {import('./run-view.js').RunEnd & {needsKey?: boolean, tokenRefused?: boolean}}
	*/
	let end;
	try {
		end = classifyResult(await call(task, view, controller.signal));
	} catch (error) {
		end = failure(error, capped);
	} finally {
		clearTimeout(cap);
	}

	if (end.needsKey) {end.help = lacksKeyHelp();}
	view.finish(end);
	history.add({
		task, state: end.state, text: end.text, message: end.message, stderr: end.stderr, elapsedMs: Date.now() - startedAt, at: Date.now(),
	});
	state.run = undefined;
	setRunning(false);
	if (state.stale) {
		state.stale = false;
		await dropSession();
	}

	if (end.tokenRefused) {
		await dropSession();
		await askToken(ui.token, 'mcpd refused that token.');
	}

	if (end.needsKey && state.config?.keys.length) {notice(keysWanted(), {tone: 'error', action: {label: 'Enter keys', run: openKeys}});}
	ui.task.focus();
}

function cancel() {
	const current = state.run;
	if (!current || current.controller.signal.aborted) {return;}
	current.view.cancelling();
	ui.cancel.disabled = true;
	current.controller.abort('cancelled by the user');
}

function submit() {
	const task = ui.task.value.trim();
	if (task === '' || state.config === undefined) {return;}
	if (state.run) {
		notice('A task is running: Esc or Cancel stops it.');
		return;
	}

	if (missingKeys()) {
		showKeyNotice();
		openKeys();
		return;
	}

	notice('');
	ui.task.value = '';
	void run(task);
}

/**
The page's settings from mcpd, asking for the token while it is refused.
*/
async function loadConfig() {
	for (let problem = ''; ;) {
		let response;
		try {
			response = await fetch('config.json', {headers: authHeaders(), cache: 'no-store'});
		} catch (error) {
			notice(`Cannot reach mcpd: ${error instanceof Error ? error.message : String(error)}`, {tone: 'error'});
			return undefined;
		}

		if (response.status === 401) {
			await askToken(ui.token, problem);
			problem = 'mcpd refused that token.';
			continue;
		}

		if (!response.ok) {
			notice(`mcpd answered ${response.status} for the page's settings.`, {tone: 'error'});
			return undefined;
		}

		return response.json();
	}
}

function restoreHistory() {
	for (const entry of history.get()) {
		const view = new RunView(entry.task);
		view.finish({
			state: /** @type {any} */ (entry.state), text: entry.text, message: entry.message, stderr: entry.stderr,
		}, entry.elapsedMs);
		view.element.classList.add('restored');
		ui.history.append(view.element);
		ui.empty.hidden = true;
	}

	ui.history.scrollTop = ui.history.scrollHeight;
}

function bindKeys() {
	ui.task.addEventListener('keydown', event => {
		if (event.key !== 'Enter' || event.shiftKey || event.isComposing) {
			return;
		}

		event.preventDefault();
		submit();
	});
	ui.compose.addEventListener('submit', event => {
		event.preventDefault();
		submit();
	});
	ui.cancel.addEventListener('click', cancel);
	document.addEventListener('keydown', event => {
		// An open dialog takes its own Esc (it closes).
		if (!(event.key === 'Escape' && !document.querySelector('dialog[open]') && state.run)) {
			return;
		}

		event.preventDefault();
		cancel();
	});
	// The tab's process ends with the tab; a page kept in the back/forward cache starts a new session if it comes back.
	window.addEventListener('pagehide', () => {
		const {session} = state;
		state.session = undefined;
		void session?.close({keepalive: true});
	});
}

async function main() {
	bindKeys();
	restoreHistory();
	ui.send.disabled = true;
	const config = await loadConfig();
	if (config === undefined) {return;}
	if (config.problem) {
		notice(`This mcpd cannot serve the chat: ${config.problem}.`, {tone: 'error'});
		return;
	}

	state.config = config;
	ui.target.textContent = `${config.server} · ${config.tool}`;
	state.keysDialog = keysDialog(ui.keys, config, () => {
		// A session's keys are fixed when it starts: the next task needs a new one.
		if (state.run) {state.stale = true;} else {void dropSession();}

		showKeyNotice();
	});
	ui.openKeys.hidden = config.keys.length === 0;
	ui.openKeys.addEventListener('click', openKeys);
	ui.send.disabled = false;
	showKeyNotice();
	ui.task.focus();
}

void main();
