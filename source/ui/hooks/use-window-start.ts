import {useRef} from 'react';

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

export function useWindowStart(selected: number, count: number, height: number): number {
	const ref = useRef(0);
	ref.current = windowStart(ref.current, Math.max(0, selected), count, height);
	return ref.current;
}
