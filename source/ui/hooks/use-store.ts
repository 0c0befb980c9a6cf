import {useSyncExternalStore} from 'react';
import type {DashboardSnapshot, DashboardStore} from '../../store/types.js';
import {renderStats} from '../render-stats.js';

/**
Re-renders only when the store publishes a new snapshot (at most one per frame).
*/
export function useDashboardSnapshot(store: DashboardStore): DashboardSnapshot {
	// Called once per render of the root, which is what the bench counts.
	renderStats.appRenders++;
	return useSyncExternalStore(store.subscribe, store.getSnapshot);
}
