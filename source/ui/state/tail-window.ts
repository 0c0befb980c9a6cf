import type {TailState} from './ui-state.js';

/**
 First visible line of a tail `height` lines tall. Following shows the end;
 paused keeps the anchored line on top while new lines arrive below.
 */
export function tailStart(lines: ReadonlyArray<{seq: number}>, tail: TailState, height: number): number {
	const maxStart = Math.max(0, lines.length - height);
	if (tail.follow) {
		return maxStart;
	}

	const i = lines.findIndex(l => l.seq >= tail.anchor);
	return i === -1 ? maxStart : Math.min(i, maxStart);
}

/**
Lines received since the view paused.
*/
export const pausedNew = (tail: TailState, total: number): number => (tail.follow ? 0 : Math.max(0, total - tail.pausedTotal));
