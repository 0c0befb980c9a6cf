import type {PromptSnapshot} from '../prompt-port.js';

/**
One run the agent pane can show: the one in flight or a finished one.
*/
export type AgentItem = {
	/**
	Stable across snapshots, so a scroll position or a pick survives updates.
	*/
	key: string;
	task: string;
	state: 'running' | 'done' | 'error' | 'cancelled';
	answer?: string;
	error?: string;
	elapsedMs?: number;
	/**
	Only the latest run has its log and stderr.
	*/
	logs: readonly string[];
	stderr?: readonly string[];
};

/**
Oldest first; the run in flight, if any, last.
*/
export function agentItems(s: PromptSnapshot): AgentItem[] {
	const finished = ['done', 'error', 'cancelled'].includes(s.state);
	const items: AgentItem[] = (s.past ?? []).map(p => ({
		key: `past#${p.startedAt}`, task: p.task, state: p.state, answer: p.answer, error: p.error, elapsedMs: p.elapsedMs, logs: [],
	}));
	const latest = items.at(-1);
	if (finished && latest && latest.task === s.task && latest.state === s.state) {
		items[items.length - 1] = {...latest, logs: s.logs, stderr: s.stderr};
	} else if (finished) {
		// A port without `past`: the current outcome is the only one there is.
		items.push({
			key: `now#${s.task ?? ''}#${s.elapsedMs ?? 0}`, task: s.task ?? '', state: s.state as AgentItem['state'],
			answer: s.answer, error: s.error, elapsedMs: s.elapsedMs, logs: s.logs, stderr: s.stderr,
		});
	}

	if (s.state === 'running') {
		items.push({
			key: `run#${items.length}`, task: s.task ?? '', state: 'running', elapsedMs: s.elapsedMs, logs: s.logs,
		});
	}

	return items;
}

/**
The picked item's index, or the newest when nothing (or something gone) is picked.
*/
export function pickedIndex(keys: readonly string[], pick: string | undefined): number {
	const i = pick === undefined ? -1 : keys.indexOf(pick);
	return i === -1 ? keys.length - 1 : i;
}

/**
`[` and `]`: the pick `delta` items away; stepping onto the newest un-picks, so new runs show again.
*/
export function stepPick(keys: readonly string[], pick: string | undefined, delta: number): string | undefined {
	if (keys.length === 0) {
		return undefined;
	}

	const i = Math.max(0, Math.min(keys.length - 1, pickedIndex(keys, pick) + delta));
	return i === keys.length - 1 ? undefined : keys[i];
}

/**
First shown line; `end` follows the bottom (a running log).
*/
export type AgentTop = number | 'end';

/**
What the reducer needs of the agent pane to scroll and pick.
*/
export type AgentContext = {
	running: boolean;
	keys: readonly string[];
	/**
	The shown item's key and its line count after wrapping.
	*/
	shown: string | undefined;
	lines: number;
	/**
	Body lines on screen.
	*/
	page: number;
};

/**
A scroll position that belongs to another item is stale: a log starts at its end, an answer at its top.
*/
export function resolveTop(scroll: {key: string; top: AgentTop} | undefined, key: string | undefined, running: boolean, lines: number, page: number): number {
	const max = Math.max(0, lines - page);
	const top = scroll !== undefined && scroll.key === key ? scroll.top : (running ? 'end' : 0);
	return top === 'end' ? max : Math.max(0, Math.min(max, top));
}
