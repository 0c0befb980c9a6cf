import {useSyncExternalStore} from 'react';
import type {DashboardSnapshot, DashboardStore} from '../../store/types.js';

/**
Re-renders only when the store publishes a new snapshot (at most one per frame).
*/
export function useDashboardSnapshot(store: DashboardStore): DashboardSnapshot {
	return useSyncExternalStore(store.subscribe, store.getSnapshot);
}
