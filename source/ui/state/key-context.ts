import type {DashboardSnapshot} from '../../store/types.js';
import type {LogExport} from '../export-log.js';
import type {AgentContext} from './agent-items.js';
import type {UiState} from './ui-state.js';

/**
Rows each list shows in the current layout: what a page and the tail window are.
*/
export type PageSizes = {
	servers: number;
	sessions: number;
	tail: number;
};

/**
 What the reducer reads besides the UI state, built once per key from the
 newest snapshot and the same pure layout that draws the screen (see
 `keyContext` in `ui/screen.ts`), so pages are what is, or is about to be, on screen.
 */
export type KeyContext = {
	snapshot: DashboardSnapshot;
	now: number;
	readOnly: boolean;
	pages: PageSizes;
	promptAvailable: boolean;
	promptHistory: readonly string[];
	/**
	The agent pane as laid out for the current UI state; absent without an agent.
	*/
	agent?: AgentContext;
};

export type Effect =
	| {type: 'kill'; id: string; force: boolean}
	| {type: 'restart'; server: string}
	| {type: 'quit'}
	| {type: 'export'; log: LogExport}
	| {type: 'prompt.submit'; text: string}
	| {type: 'prompt.cancel'};

export type Step = {
	ui: UiState;
	effects: Effect[];
};
