/**
Sent every period on every open stream; below common proxy idle cut-offs (60 s).
*/
export const KEEP_ALIVE_MS = 15_000;

/**
 An answer still waiting for less than this is left alone by the keep-alive
 tick: the tick falls at any moment, and a request that began just before it
 would otherwise be switched to SSE for no reason.
 */
export const YOUNG_MS = KEEP_ALIVE_MS / 2;

export type KeptAlive = {
	keepAlive(): void;
};

/**
One timer for every open stream of both eras, instead of one each.
*/
export class KeepAlive {
	readonly #streams = new Set<KeptAlive>();
	readonly #timer: NodeJS.Timeout;

	constructor(periodMs = KEEP_ALIVE_MS) {
		this.#timer = setInterval(() => {
			for (const stream of this.#streams) {
				stream.keepAlive();
			}
		}, periodMs);
		this.#timer.unref();
	}

	add(stream: KeptAlive): void {
		this.#streams.add(stream);
	}

	delete(stream: KeptAlive): void {
		this.#streams.delete(stream);
	}

	stop(): void {
		clearInterval(this.#timer);
	}
}
