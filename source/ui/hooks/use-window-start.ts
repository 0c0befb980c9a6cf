import {useState} from 'react';

/**
 First row of a `height`-row window that keeps `selected` visible, moving as
 little as possible so rows do not jump when the selection steps.
 */
export function windowStart(previous: number, selected: number, count: number, height: number): number {
	const maxStart = Math.max(0, count - height);
	let start = Math.min(previous, maxStart);
	if (selected < start) {
		start = selected;
	} else if (selected >= start + height) {
		start = selected - height + 1;
	}

	return Math.max(0, Math.min(start, maxStart));
}

/**
The window's start kept in state, moved while rendering as React allows for state that follows props.
*/
export function useWindowStart(selected: number, count: number, height: number): number {
	const [start, setStart] = useState(0);
	const next = windowStart(start, Math.max(0, selected), count, height);
	if (next !== start) {
		setStart(next);
	}

	return next;
}
