/**
 How long a session that took a spare holds back the spare's replacement
 while its child has not answered `initialize`. A started node server
 answers its first message in about 2 ms, tens of ms on a loaded machine;
 an `initialize` slower than this is slow enough that a spawn's few ms are
 small beside it, and a replacement is never more than this much later.
 */
export const REPLENISH_GRACE_MS = 200;

/**
 Runs `replenish` once, after the child of a session that took a spare has
 answered (`answered`, called as its answer is relayed) or after `graceMs`,
 whichever comes first. Spawning is synchronous in mcpd (fork and exec:
 3 to 6 ms of its event loop) and a starting process takes a core for tens
 of ms: done at once, both land on the very `initialize` the spare was there
 to make fast.
 */
export function replenishAfterAnswer(replenish: () => void, graceMs = REPLENISH_GRACE_MS): {answered(): void} {
	let due = true;
	const run = () => {
		if (!due) {
			return;
		}

		due = false;
		clearTimeout(timer);
		replenish();
	};

	const timer = setTimeout(run, graceMs);
	timer.unref();
	return {
		answered() {
			if (due) {
				// After this turn: the answer is being relayed to the client now.
				setImmediate(run);
			}
		},
	};
}
