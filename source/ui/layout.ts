import type {PageSizes} from './state/key-context.js';
import type {Pane} from './state/ui-state.js';

/**
 Pure line budgets for each terminal size. The frame is always `rows - 1`
 lines: once Ink's output reaches the terminal height it clears and
 rewrites the whole screen on every frame.
 */
export type LayoutKind = 'tiny' | 'compact' | 'standard' | 'wide';

export const minColumns = 50;
export const minRows = 12;

export function layoutKind(columns: number, rows: number): LayoutKind {
	if (columns < minColumns || rows < minRows) {
		return 'tiny';
	}

	if (columns >= 120 && rows >= 40) {
		return 'wide';
	}

	return columns < 80 || rows < 20 ? 'compact' : 'standard';
}

type Common = {
	columns: number;
	/**
	Lines the frame may use.
	*/
	height: number;
	pages: PageSizes;
	/**
	Columns for a tail line.
	*/
	tailWidth: number;
	/**
	Columns for a sessions row.
	*/
	tableWidth: number;
	/**
	Lines of the agent pane, title included; 0 when it is not shown.
	*/
	agentBox: number;
	agentWidth: number;
};

export type Plan =
	| (Common & {kind: 'tiny'})
	/**
	Header, tab line, the focused pane's `body` lines, footer.
	*/
	| (Common & {kind: 'compact'; body: number})
	/**
	Header, servers strip, sessions box over tail box (or the zoomed pane), prompt line, footer.
	*/
	| (Common & {kind: 'standard'; body: number; sessionsBox: number; tailBox: number})
	/**
	Header; left servers over latency, right sessions over tail (bordered); the prompt box (3 lines, more with the agent pane); footer.
	*/
	| (Common & {kind: 'wide'; body: number; leftWidth: number; serversBox: number; latencyBox: number; sessionsBox: number; tailBox: number; promptBox: number});

export type PlanInput = {
	zoom: boolean;
	focus: Pane;
	serverCount: number;
	/**
	The prompt pane has focus: the agent's run and answer get room.
	*/
	agent?: boolean;
};

const atLeast = (n: number): number => Math.max(1, n);

export function planLayout(columns: number, rows: number, input: PlanInput): Plan {
	const height = Math.max(1, rows - 1);
	const kind = layoutKind(columns, rows);
	if (kind === 'tiny') {
		return {
			kind, columns, height, pages: {servers: 1, sessions: 1, tail: 1}, tailWidth: columns, tableWidth: columns, agentBox: 0, agentWidth: columns,
		};
	}

	const agent = input.agent === true;

	if (kind === 'compact') {
		const body = height - 3;
		// The prompt pane is its line over the agent pane.
		const agentBox = agent ? body - 1 : 0;
		return {
			kind, columns, height, body, pages: {servers: atLeast(body - 1), sessions: atLeast(body - 2), tail: atLeast(body - 1)},
			tailWidth: columns, tableWidth: columns, agentBox, agentWidth: columns,
		};
	}

	if (kind === 'standard') {
		const body = height - 4;
		const zoomed = input.zoom ? input.focus : undefined;
		let sessionsBox = zoomed === 'tail' ? 0 : (zoomed === 'sessions' || zoomed === 'servers' ? body : Math.ceil(body / 2));
		let agentBox = 0;
		if (agent) {
			// The answer takes the tail's place and some of the table's: the [prompt] row stays in sight.
			sessionsBox = input.zoom ? 0 : Math.max(4, Math.floor(body * 0.3));
			agentBox = body - sessionsBox;
		}

		const tailBox = body - sessionsBox - agentBox;
		return {
			kind, columns, height, body, sessionsBox, tailBox,
			pages: {servers: atLeast(body - 1), sessions: atLeast(sessionsBox - 2), tail: atLeast(tailBox - 1)},
			tailWidth: columns,
			tableWidth: columns,
			agentBox,
			agentWidth: columns,
		};
	}

	// Header and footer, and the prompt's box: its line in a border, the agent pane above it when focused.
	let promptBox = 3;
	if (agent) {
		promptBox = input.zoom ? height - 2 : 3 + Math.min(12, Math.max(6, Math.floor((height - 5) * 0.3)));
	}

	const body = height - 2 - promptBox;
	const leftWidth = Math.floor(columns * 0.3);
	const zoomed = input.zoom ? input.focus : undefined;
	const serversBox = Math.min(input.serverCount + 3, Math.floor(body / 2));
	const latencyBox = body - serversBox;
	const sessionsBox = zoomed === 'tail' ? 0 : (zoomed === 'sessions' ? body : Math.round(body * 0.55));
	const tailBox = body - sessionsBox;
	// Inside the border, one column short of it so the last cell does not touch the frame.
	const paneWidth = (zoomed ? columns : columns - leftWidth) - 3;
	return {
		kind, columns, height, body, leftWidth, serversBox, latencyBox, sessionsBox, tailBox, promptBox,
		agentBox: agent ? promptBox - 3 : 0,
		agentWidth: columns - 3,
		pages: {
			servers: atLeast((zoomed === 'servers' ? body : serversBox) - 3),
			sessions: atLeast(sessionsBox - 4),
			tail: atLeast(tailBox - 3),
		},
		tailWidth: paneWidth,
		tableWidth: paneWidth,
	};
}
