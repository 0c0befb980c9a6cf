import type {DashboardSnapshot} from '../../store/types.js';
import type {LogExport} from '../export-log.js';
import type {AgentEnv} from './agent-items.js';
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
What the reducer reads besides the UI state: the newest snapshot and the environment.
*/
export type Env = {
	snapshot: DashboardSnapshot;
	now: number;
	readOnly: boolean;
	pages: PageSizes;
	promptAvailable: boolean;
	promptHistory: readonly string[];
	/**
	The agent pane as last drawn; absent without an agent.
	*/
	agent?: AgentEnv;
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
