import {EventEmitter} from 'node:events';
import {render, type Instance, type RenderOptions} from 'ink';
import type {ReactElement} from 'react';

/**
A TTY-looking stdout of a given size that records every frame Ink writes.
*/
export class FakeStdout extends EventEmitter {
	readonly isTTY = true;
	readonly frames: string[] = [];
	/**
	The terminal size at the time of each frame.
	*/
	readonly sizes: Array<{columns: number; rows: number}> = [];

	constructor(public columns: number, public rows: number) {
		super();
	}

	write = (data: string, encodingOrCallback?: unknown, callback?: unknown): boolean => {
		// Ink writes '' as a barrier and waits for its callback before `waitUntilExit` settles.
		if (data !== '') {
			this.frames.push(data);
			this.sizes.push({columns: this.columns, rows: this.rows});
		}

		const done = typeof encodingOrCallback === 'function' ? encodingOrCallback : callback;
		if (typeof done === 'function') {
			queueMicrotask(() => done());
		}

		return true;
	};

	lastFrame(): string | undefined {
		return this.frames.at(-1);
	}

	/**
	Like a terminal window resize: new size, then the `resize` event.
	*/
	resize(columns: number, rows: number): void {
		this.columns = columns;
		this.rows = rows;
		this.emit('resize');
	}
}

/**
A raw-mode capable stdin fed by `write`, the way ink's own tests do it.
*/
export class FakeStdin extends EventEmitter {
	readonly isTTY = true;
	readonly #queue: string[] = [];

	write(data: string): void {
		this.#queue.push(data);
		this.emit('readable');
	}

	read = (): string | null => this.#queue.shift() ?? null;
	setEncoding(): void {}
	setRawMode(): void {}
	resume(): void {}
	pause(): void {}
	ref(): void {}
	unref(): void {}
}

export type Rendered = {
	stdout: FakeStdout;
	stdin: FakeStdin;
	lastFrame(): string;
	/**
	Lines in the last frame.
	*/
	height(): number;
	/**
	Sends keys; each argument is one stdin chunk.
	*/
	press(...chunks: string[]): void;
	unmount(): void;
};

/**
 Ink's own `render` at an exact terminal size (ink-testing-library is fixed
 at 100 columns with no rows). `debug` makes every render one whole frame.
 `mount` swaps Ink's `render` for a wrapper such as `mountDashboard`.
 */
export function renderAt(tree: ReactElement, columns: number, rows: number, mount: (tree: ReactElement, options: RenderOptions) => Instance = render): Rendered {
	const stdout = new FakeStdout(columns, rows);
	const stdin = new FakeStdin();
	const instance = mount(tree, {
		stdout: stdout as unknown as NodeJS.WriteStream,
		stdin: stdin as unknown as NodeJS.ReadStream,
		debug: true,
		interactive: true,
		exitOnCtrlC: false,
		patchConsole: false,
	});
	const lastFrame = () => stdout.lastFrame() ?? '';
	return {
		stdout,
		stdin,
		lastFrame,
		height: () => lastFrame().split('\n').length,
		press(...chunks) {
			for (const chunk of chunks) {
				stdin.write(chunk);
			}
		},
		unmount() {
			instance.unmount();
			instance.cleanup();
		},
	};
}

export const keys = {
	up: '\u{1B}[A',
	down: '\u{1B}[B',
	enter: '\r',
	escape: '\u{1B}',
	tab: '\t',
	shiftTab: '\u{1B}[Z',
	pageUp: '\u{1B}[5~',
	pageDown: '\u{1B}[6~',
	ctrlC: '\u{3}',
	ctrlU: '\u{15}',
} as const;
