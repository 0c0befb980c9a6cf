export {createDashboardStore, type DashboardStoreOptions} from './store.js';
export type {DashboardSnapshot, DashboardStore, LatencySnapshot, LatencySource, LatencyStats, ServerLatency, ServerRow, SessionRow, TailLine, TailView} from './types.js';
