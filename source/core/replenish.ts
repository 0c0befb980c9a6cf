/**
 How long a session that took a spare holds back the spare's replacement
 while its child has not answered `initialize`: longer than a started child
 takes to answer its first message (about 2 ms for a node server, 25 ms at
 worst on a loaded machine), far shorter than a process takes to start, so
 a slow `initialize` delays replenishment by this much at most.
 */
export const REPLENISH_GRACE_MS = 50;

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
