import type {Figures} from '../columns.js';
import type {AgentTop} from './agent-items.js';

/**
Everything the dashboard remembers between keys; the store knows none of it.
*/

export type Pane = 'servers' | 'sessions' | 'tail' | 'prompt';
export const paneOrder: readonly Pane[] = ['servers', 'sessions', 'tail', 'prompt'];

export type Mode = 'normal' | 'filter' | 'confirm' | 'help' | 'prompt';

export type SortKey = 'started' | 'server' | 'requests' | 'p95' | 'cpu' | 'mem' | 'state';
export const sortOrder: readonly SortKey[] = ['started', 'server', 'requests', 'p95', 'cpu', 'mem', 'state'];

export type FilterTarget = 'sessions' | 'tail';

export type Confirm =
	| {kind: 'kill'; id: string; force: boolean; text: string}
	| {kind: 'restart'; server: string; text: string}
	| {kind: 'quit'; text: string};

export type Selection = {
	/**
	What the user picked; rows are found by id so reordering does not move it.
	*/
	id: string | undefined;
	/**
	Where it was, for when the id disappears.
	*/
	index: number;
};

export type TailState = {
	follow: boolean;
	/**
	While paused: seq of the first visible line.
	*/
	anchor: number;
	/**
	Lines received when the view paused, for `+N new`.
	*/
	pausedTotal: number;
	/**
	Seq of the line `n`/`N` last jumped to.
	*/
	match?: number;
};

export type Status = {
	text: string;
	tone: 'info' | 'warn' | 'error';
	at: number;
	/**
	How long it stays up, when not the usual few seconds (a path to copy).
	*/
	ms?: number;
};

export type UiState = {
	mode: Mode;
	focus: Pane;
	zoom: boolean;
	/**
	`Space`: the screen keeps the snapshot of that moment.
	*/
	frozen: boolean;
	servers: Selection;
	sessions: Selection;
	/**
	Set by Enter on a server: the table shows only its sessions.
	*/
	drillServer: string | undefined;
	filters: Readonly<Record<FilterTarget, string>>;
	filterTarget: FilterTarget;
	/**
	Cursor in the filter being typed.
	*/
	filterCursor: number;
	sort: SortKey;
	/**
	Latency or CPU/memory columns where the table cannot show both (`u`).
	*/
	figures: Figures;
	tail: TailState;
	wrap: boolean;
	timestamps: boolean;
	/**
	Tail key → the `c` marker: lines before `seq` are hidden.
	*/
	cleared: ReadonlyMap<string, {seq: number; at: number}>;
	confirm: Confirm | undefined;
	helpScroll: number;
	status: Status | undefined;
	ctrlCAt: number | undefined;
	prompt: {draft: string; cursor: number; historyIndex: number | undefined};
	agent: {
		/**
		Key of the run picked with `[`/`]`; none: the newest.
		*/
		pick: string | undefined;
		/**
		Belongs to one run's key; another run starts at its own default.
		*/
		scroll: {key: string; top: AgentTop} | undefined;
		/**
		Answers are prose: wrapped unless `w` turns it off.
		*/
		wrap: boolean;
	};
};

export const initialUiState: UiState = {
	mode: 'normal',
	focus: 'sessions',
	zoom: false,
	frozen: false,
	servers: {id: undefined, index: 0},
	sessions: {id: undefined, index: 0},
	drillServer: undefined,
	filters: {sessions: '', tail: ''},
	filterTarget: 'sessions',
	filterCursor: 0,
	sort: 'started',
	figures: 'latency',
	tail: {follow: true, anchor: 0, pausedTotal: 0},
	wrap: false,
	timestamps: false,
	cleared: new Map(),
	confirm: undefined,
	helpScroll: 0,
	status: undefined,
	ctrlCAt: undefined,
	prompt: {draft: '', cursor: 0, historyIndex: undefined},
	agent: {pick: undefined, scroll: undefined, wrap: true},
};
