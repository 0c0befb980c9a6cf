import {scrollAgent} from './agent-keys.js';
import type {KeyContext} from './key-context.js';
import {tailStart} from './tail-window.js';
import type {UiState} from './ui-state.js';
import {moveTo, type Move} from './move.js';
import {deriveView, type View} from './view.js';

export type {Move} from './move.js';

function target(move: Move, index: number, count: number, page: number): number {
	const last = count - 1;
	return Math.max(0, Math.min(last, moveTo(move, index, last, page)));
}

const followTail = (ui: UiState): UiState => ({...ui, tail: {follow: true, anchor: 0, pausedTotal: 0}});

/**
Pauses at the current window, counting new lines from now.
*/
export function pauseTail(ui: UiState, view: View, context: KeyContext): UiState {
	if (!ui.tail.follow) {
		return ui;
	}

	const start = tailStart(view.tailLines, ui.tail, context.pages.tail);
	return {...ui, tail: {follow: false, anchor: view.tailLines[start]?.seq ?? 0, pausedTotal: view.tail.total}};
}

function scrollTail(ui: UiState, move: Move, view: View, context: KeyContext): UiState {
	if (move === 'bottom') {
		return followTail(ui);
	}

	const lines = view.tailLines;
	const height = context.pages.tail;
	const start = tailStart(lines, ui.tail, height);
	const maxStart = Math.max(0, lines.length - height);
	const to = Math.max(0, Math.min(maxStart, moveTo(move, start, maxStart, height)));
	// Scrolling down within a following view changes nothing; only moving up (or to the top) pauses.
	if (ui.tail.follow && to >= start) {
		return ui;
	}

	const paused = pauseTail(ui, view, context);
	return {...paused, tail: {...paused.tail, anchor: lines[to]?.seq ?? 0}};
}

export function navigate(ui: UiState, move: Move, context: KeyContext): UiState {
	const view = deriveView(context.snapshot, ui);
	switch (ui.focus) {
		case 'servers': {
			if (view.servers.length === 0) {
				return ui;
			}

			const index = target(move, view.serverIndex, view.servers.length, context.pages.servers);
			return {...ui, servers: {id: view.servers[index].name, index}};
		}

		case 'sessions': {
			if (view.sessions.length === 0) {
				return ui;
			}

			const index = target(move, view.sessionIndex, view.sessions.length, context.pages.sessions);
			return selectSession(ui, view, index);
		}

		case 'tail': {
			return scrollTail(ui, move, view, context);
		}

		case 'prompt': {
			return scrollAgent(ui, move, context);
		}
	}
}

/**
A new session means a new tail: start it following.
*/
export function selectSession(ui: UiState, view: View, index: number): UiState {
	const id = view.sessions[index]?.id;
	const next = {...ui, sessions: {id, index}};
	return id === view.selectedSession?.id ? next : followTail(next);
}
