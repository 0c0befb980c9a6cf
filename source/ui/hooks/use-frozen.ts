import {useState} from 'react';
import type {DashboardSnapshot} from '../../store/types.js';

type Held = {
	snapshot: DashboardSnapshot;
	last: DashboardSnapshot;
	waiting: number;
};

/**
 Freeze (`Space`): the snapshot on screen stays the one from the moment of
 freezing, so rows stop moving under a reader or a mouse selection; the
 snapshots that arrive meanwhile are only counted, for `FROZEN +N`. Held in
 state, updated while rendering as React allows for state that follows props.
 */
export function useFrozen(live: DashboardSnapshot, frozen: boolean): {snapshot: DashboardSnapshot; waiting: number} {
	const [held, setHeld] = useState<Held | undefined>(undefined);
	let next: Held | undefined;
	if (frozen) {
		next = held ?? {snapshot: live, last: live, waiting: 0};
		if (live !== next.last) {
			next = {...next, last: live, waiting: next.waiting + 1};
		}
	}

	if (next !== held) {
		setHeld(next);
	}

	return next ? {snapshot: next.snapshot, waiting: next.waiting} : {snapshot: live, waiting: 0};
}
