import {useRef} from 'react';
import type {DashboardSnapshot} from '../../store/types.js';

type Held = {
	snapshot: DashboardSnapshot;
	last: DashboardSnapshot;
	waiting: number;
};

/**
 Freeze (`Space`): the snapshot on screen stays the one from the moment of
 freezing, so rows stop moving under a reader or a mouse selection; the
 snapshots that arrive meanwhile are only counted, for `FROZEN +N`.
 */
export function useFrozen(live: DashboardSnapshot, frozen: boolean): {snapshot: DashboardSnapshot; waiting: number} {
	const ref = useRef<Held | undefined>(undefined);
	if (!frozen) {
		ref.current = undefined;
		return {snapshot: live, waiting: 0};
	}

	ref.current ??= {snapshot: live, last: live, waiting: 0};
	if (live !== ref.current.last) {
		ref.current.last = live;
		ref.current.waiting++;
	}

	return {snapshot: ref.current.snapshot, waiting: ref.current.waiting};
}
