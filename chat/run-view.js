// One task in the tab's history: the task, a live status line (state, clock,
// the latest progress as a heartbeat: the agent's progress jumps back and
// changes total, so never a percentage), its log lines while it runs, and the
// answer or the failure at the end.

import {appendLog, formatElapsed} from './outcome.js';
import {markdownElement} from './render.js';

const LABELS = {
	running: 'running',
	cancelling: 'cancelling…',
	done: '✔ done',
	failed: '✖ failed',
	cancelled: '■ cancelled',
	timeout: '⏱ timed out',
};

/**
@param {string} tag @param {string} [className] @param {string} [text]
@param className
@param text
*/
function make(tag, className, text) {
	const element = document.createElement(tag);
	if (className) {element.className = className;}
	if (text !== undefined) {element.textContent = text;}
	return element;
}

/**
 @typedef {{state: 'done' | 'failed' | 'cancelled' | 'timeout', text?: string, message?: string, stderr?: string[], help?: string}} RunEnd
 */

export class RunView {
	element = make('article', 'run');
	#state = make('span', 'state');
	#elapsed = make('span', 'elapsed');
	#progress = make('span', 'progress');
	#pulse = make('span', 'pulse');
	#log = make('details', 'log');
	#logList = make('ol');
	#logCount = make('summary');
	#result = make('div', 'result');
	/**
	@type {string[]}
	*/
	#lines = [];
	#startedAt = 0;
	/**
	@type {ReturnType<typeof setInterval> | undefined}
	*/
	#clock;
	#onChange;

	/**
	 @param {string} task
	 @param {() => void} [onChange] called after anything visible changed
	 */
	constructor(task, onChange = () => undefined) {
		this.#onChange = onChange;
		const head = make('header', 'run-head');
		head.append(make('p', 'task', task));
		const status = make('p', 'status-line');
		this.#pulse.setAttribute('aria-hidden', 'true');
		status.append(this.#state, this.#elapsed, this.#progress, this.#pulse);
		this.#log.append(this.#logCount, this.#logList);
		this.#log.hidden = true;
		this.element.append(head, status, this.#log, this.#result);
	}

	start(now = Date.now()) {
		this.#startedAt = now;
		this.#setState('running');
		this.#log.open = true;
		const tick = () => {
			this.#elapsed.textContent = formatElapsed(Date.now() - this.#startedAt);
		};

		tick();
		this.#clock = setInterval(tick, 100);
		this.#onChange();
	}

	cancelling() {
		this.#setState('cancelling');
	}

	/**
	@param {{progress: number, total?: number, message?: string}} params
	*/
	onProgress(params) {
		const total = typeof params.total === 'number' ? `/${params.total}` : '';
		this.#progress.textContent = `progress ${params.progress}${total}${params.message ? ` · ${params.message}` : ''}`;
		// Restart the pulse animation: a heartbeat per notification.
		this.#pulse.classList.remove('beat');
		void this.#pulse.offsetWidth;
		this.#pulse.classList.add('beat');
	}

	/**
	@param {{level?: string, data?: unknown}} params
	*/
	onLog(params) {
		const text = typeof params.data === 'string' ? params.data : JSON.stringify(params.data);
		const level = params.level && params.level !== 'info' ? `[${params.level}] ` : '';
		this.#lines = appendLog(this.#lines, level + text);
		this.#renderLog();
		this.#onChange();
	}

	/**
	 @param {RunEnd} end
	 @param {number} [elapsedMs] for a restored entry
	 */
	finish(end, elapsedMs = Date.now() - this.#startedAt) {
		clearInterval(this.#clock);
		this.#elapsed.textContent = formatElapsed(elapsedMs);
		this.#setState(end.state);
		if (end.message) {this.#result.append(make('p', 'failure-message', end.message));}
		if (end.text) {
			const answer = markdownElement(end.text);
			answer.classList.add('answer');
			this.#result.append(answer);
		}

		if (end.stderr?.length) {
			const tail = make('details', 'stderr');
			tail.open = true;
			tail.append(make('summary', undefined, 'Last lines of its stderr'), make('pre', undefined, end.stderr.join('\n')));
			this.#result.append(tail);
		}

		if (end.help) {this.#result.append(make('p', 'help', end.help));}
		this.#log.open = end.state !== 'done' && !end.text;
		this.#onChange();
	}

	/**
	@param {keyof typeof LABELS} state
	*/
	#setState(state) {
		this.element.dataset.state = state;
		this.#state.textContent = LABELS[state];
	}

	#renderLog() {
		this.#log.hidden = this.#lines.length === 0;
		this.#logCount.textContent = `Log · ${this.#lines.length} line${this.#lines.length === 1 ? '' : 's'}`;
		this.#logList.replaceChildren(...this.#lines.map(line => make('li', undefined, line)));
	}
}
