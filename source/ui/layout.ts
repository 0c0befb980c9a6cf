import type {PageSizes} from './state/env.js';
import type {Pane} from './state/ui-state.js';

/**
 * Pure line budgets for each terminal size. The frame is always `rows - 1`
 * lines: once Ink's output reaches the terminal height it clears and
 * rewrites the whole screen on every frame.
 */
export type LayoutKind = 'tiny' | 'compact' | 'standard' | 'wide';

export const minColumns = 50;
export const minRows = 12;

export function layoutKind(columns: number, rows: number): LayoutKind {
	if (columns < minColumns || rows < minRows) return 'tiny';
	if (columns >= 120 && rows >= 40) return 'wide';
	if (columns < 80 || rows < 20) return 'compact';
	return 'standard';
}

interface Common {
	columns: number;
	/** Lines the frame may use. */
	height: number;
	pages: PageSizes;
	/** Columns for a tail line. */
	tailWidth: number;
	/** Columns for a sessions row. */
	tableWidth: number;
}

export type Plan =
	| (Common & {kind: 'tiny'})
	/** Header, tab line, the focused pane's `body` lines, footer. */
	| (Common & {kind: 'compact'; body: number})
	/** Header, servers strip, sessions box over tail box (or the zoomed pane), prompt line, footer. */
	| (Common & {kind: 'standard'; body: number; sessionsBox: number; tailBox: number})
	/** Header; left servers over latency, right sessions over tail (bordered); 3-line prompt; footer. */
	| (Common & {kind: 'wide'; body: number; leftWidth: number; serversBox: number; latencyBox: number; sessionsBox: number; tailBox: number});

export interface PlanInput {
	zoom: boolean;
	focus: Pane;
	serverCount: number;
}

const atLeast = (n: number): number => Math.max(1, n);

export function planLayout(columns: number, rows: number, input: PlanInput): Plan {
	const height = Math.max(1, rows - 1);
	const kind = layoutKind(columns, rows);
	if (kind === 'tiny') return {kind, columns, height, pages: {servers: 1, sessions: 1, tail: 1}, tailWidth: columns, tableWidth: columns};

	if (kind === 'compact') {
		const body = height - 3;
		return {kind, columns, height, body, pages: {servers: atLeast(body - 1), sessions: atLeast(body - 2), tail: atLeast(body - 1)}, tailWidth: columns, tableWidth: columns};
	}

	if (kind === 'standard') {
		const body = height - 4;
		const zoomed = input.zoom ? input.focus : undefined;
		const sessionsBox = zoomed === 'tail' ? 0 : zoomed === 'sessions' || zoomed === 'servers' ? body : Math.ceil(body / 2);
		const tailBox = body - sessionsBox;
		return {
			kind, columns, height, body, sessionsBox, tailBox,
			pages: {servers: atLeast(body - 1), sessions: atLeast(sessionsBox - 2), tail: atLeast(tailBox - 1)},
			tailWidth: columns,
			tableWidth: columns,
		};
	}

	const body = height - 5;
	const leftWidth = Math.floor(columns * 0.3);
	const zoomed = input.zoom ? input.focus : undefined;
	const serversBox = Math.min(input.serverCount + 3, Math.floor(body / 2));
	const latencyBox = body - serversBox;
	const sessionsBox = zoomed === 'tail' ? 0 : zoomed === 'sessions' ? body : Math.round(body * 0.55);
	const tailBox = body - sessionsBox;
	// Inside the border, one column short of it so the last cell does not touch the frame.
	const paneWidth = (zoomed ? columns : columns - leftWidth) - 3;
	return {
		kind, columns, height, body, leftWidth, serversBox, latencyBox, sessionsBox, tailBox,
		pages: {
			servers: atLeast((zoomed === 'servers' ? body : serversBox) - 3),
			sessions: atLeast(sessionsBox - 4),
			tail: atLeast(tailBox - 3),
		},
		tailWidth: paneWidth,
		tableWidth: paneWidth,
	};
}
