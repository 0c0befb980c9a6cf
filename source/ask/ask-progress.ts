/**
 `mcpd ask`'s stderr while the agent works. On a terminal: one status line
 redrawn in place (pulse, elapsed, latest progress and message), other log
 lines printed above it. Otherwise: plain lines, progress at most once a second.
 */
import type {AgentProgress} from '../agent/outcome.js';

export type ReporterStream = {
	write(text: string): unknown;
	isTTY?: boolean;
	columns?: number;
};

const PULSE = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const REDRAW_MS = 250;
const PLAIN_PROGRESS_MS = 1000;
/**
`Agent reasoning... (12s)`: a heartbeat, shown in the status line rather than printed each second.
*/
const HEARTBEAT = /\(\d+(?:\.\d+)?\s*s\)\s*$/;

export function formatElapsed(ms: number): string {
	if (ms < 60_000) {
		return `${(ms / 1000).toFixed(1)}s`;
	}

	const seconds = Math.floor(ms / 1000);
	return `${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, '0')}s`;
}

/**
`3/10`, `42`: as given; values may go back and totals change, so no percentage.
*/
export function formatProgress({progress, total}: AgentProgress): string {
	return total === undefined ? String(progress) : `${progress}/${total}`;
}

export class AskReporter {
	readonly #stream: ReporterStream;
	readonly #tty: boolean;
	readonly #startedAt = Date.now();
	#timer: NodeJS.Timeout | undefined;
	#frame = 0;
	#progress: AgentProgress | undefined;
	#status = 'waiting for the agent…';
	#drawn = false;
	#lastPlainProgress = 0;

	constructor(stream: ReporterStream) {
		this.#stream = stream;
		this.#tty = stream.isTTY === true;
		if (!this.#tty) {
			return;
		}

		this.#timer = setInterval(() => {
			this.#draw();
		}, REDRAW_MS);
		this.#timer.unref();
		this.#draw();
	}

	progress = (progress: AgentProgress): void => {
		this.#progress = progress;
		if (progress.message) {
			this.#status = progress.message;
		}

		if (this.#tty) {
			return;
		}

		const now = Date.now();
		if (now - this.#lastPlainProgress < PLAIN_PROGRESS_MS) {
			return;
		}

		this.#lastPlainProgress = now;
		this.#stream.write(`progress ${formatProgress(progress)}${progress.message ? ` ${progress.message}` : ''} (${formatElapsed(now - this.#startedAt)})\n`);
	};

	log = (line: string): void => {
		if (this.#tty && HEARTBEAT.test(line)) {
			this.#status = line;
			return;
		}

		this.print(line);
	};

	/**
	A line of its own, above the status line on a terminal.
	*/
	print(line: string): void {
		this.#clear();
		this.#stream.write(`${line}\n`);
		if (this.#tty && this.#timer) {
			this.#draw();
		}
	}

	/**
	Stops redrawing and removes the status line.
	*/
	done(): void {
		clearInterval(this.#timer);
		this.#timer = undefined;
		this.#clear();
	}

	#draw(): void {
		const pulse = PULSE[this.#frame++ % PULSE.length];
		const progress = this.#progress ? ` · ${formatProgress(this.#progress)}` : '';
		const text = `${pulse} ${formatElapsed(Date.now() - this.#startedAt)}${progress} · ${this.#status}`;
		// eslint-disable-next-line @typescript-eslint/strict-boolean-expressions, @typescript-eslint/prefer-nullish-coalescing -- a width of 0 (no terminal) falls back as well as none
		const width = Math.max(10, (this.#stream.columns || 80) - 1);
		this.#stream.write(`\r\u{1B}[K${[...text].slice(0, width).join('')}`);
		this.#drawn = true;
	}

	#clear(): void {
		if (!this.#drawn) {
			return;
		}

		this.#stream.write('\r\u{1B}[K');
		this.#drawn = false;
	}
}
