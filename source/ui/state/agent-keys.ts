import {resolveTop, stepPick, type AgentTop} from './agent-items.js';
import type {KeyContext} from './key-context.js';
import {moveTo, type Move} from './move.js';
import type {UiState} from './ui-state.js';

/**
J/k, pages, g/G on the agent pane. Reaching the bottom follows again, so a running log keeps moving.
*/
export function scrollAgent(ui: UiState, move: Move, context: KeyContext): UiState {
	const a = context.agent;
	if (a?.shown === undefined) {
		return ui;
	}

	const max = Math.max(0, a.lines - a.page);
	const top = resolveTop(ui.agent.scroll, a.shown, a.running && a.shown === a.keys.at(-1), a.lines, a.page);
	const to = moveTo(move, top, max, a.page);
	const next: AgentTop = to >= max ? 'end' : Math.max(0, to);
	return {...ui, agent: {...ui.agent, scroll: {key: a.shown, top: next}}};
}

/**
`[`/`]`: another run's answer, from its top.
*/
export function pickAgent(ui: UiState, delta: -1 | 1, context: KeyContext): UiState {
	const keys = context.agent?.keys ?? [];
	return {...ui, agent: {...ui.agent, pick: stepPick(keys, ui.agent.pick, delta), scroll: undefined}};
}

export const agentRunning = (context: KeyContext): boolean => context.agent?.running === true;
