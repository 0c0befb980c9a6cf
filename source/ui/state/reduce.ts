import type {Action} from '../keymap.js';
import {agentRunning, pickAgent} from './agent-keys.js';
import {askKill, askQuit, askRestart, stillOpen} from './confirm.js';
import type {Effect, KeyContext, Step} from './key-context.js';
import {navigate, pauseTail, selectSession, type Move} from './navigate.js';
import {paneOrder, sortOrder, type FilterTarget, type Pane, type UiState} from './ui-state.js';
import {editLine, lineOf, type LineEdit} from './line-edit.js';
import {jumpMatch} from './search-jump.js';
import {deriveView} from './view.js';

/**
Double Ctrl+C window, ms.
*/
export const interruptWindowMs = 2000;

const moves: Record<string, Move> = {
	'nav.down': 'down', 'nav.up': 'up', 'nav.top': 'top', 'nav.bottom': 'bottom', 'nav.pageUp': 'pageUp', 'nav.pageDown': 'pageDown',
};

const done = (ui: UiState, ...effects: Effect[]): Step => ({ui, effects});
const withStatus = (ui: UiState, context: KeyContext, text: string, tone: 'info' | 'warn' | 'error' = 'info'): UiState =>
	({...ui, status: {text, tone, at: context.now}});

function focusPane(ui: UiState, pane: Pane, context: KeyContext): UiState {
	const left = ui.mode === 'prompt' ? {...ui, mode: 'normal' as const} : ui;
	if (pane !== 'prompt') {
		return {...left, focus: pane};
	}

	// Nothing to type into: say so and stay where the user was.
	return context.promptAvailable ? {...left, focus: 'prompt', mode: 'prompt'} : withStatus(left, context, 'no agent server configured', 'warn');
}

function cyclePane(ui: UiState, delta: 1 | -1, context: KeyContext): UiState {
	const order = context.promptAvailable ? paneOrder : paneOrder.filter(p => p !== 'prompt');
	const i = order.indexOf(ui.focus);
	return focusPane(ui, order[(i + delta + order.length) % order.length], context);
}

function setFilter(ui: UiState, target: FilterTarget, text: string): UiState {
	return {...ui, filters: {...ui.filters, [target]: text}};
}

function back(ui: UiState): UiState {
	if (ui.zoom) {
		return {...ui, zoom: false, focus: ui.focus === 'tail' ? 'sessions' : ui.focus};
	}

	if (ui.focus === 'prompt') {
		return {...ui, focus: 'sessions'};
	}

	const target: FilterTarget = ui.focus === 'tail' ? 'tail' : 'sessions';
	if (ui.filters[target] !== '') {
		return setFilter(ui, target, '');
	}

	return ui.drillServer === undefined ? ui : {...ui, drillServer: undefined};
}

function enter(ui: UiState, context: KeyContext): UiState {
	const view = deriveView(context.snapshot, ui);
	if (ui.focus === 'servers' && view.selectedServer) {
		const drilled = {...ui, drillServer: view.selectedServer.name, focus: 'sessions' as const};
		return selectSession(drilled, deriveView(context.snapshot, drilled), 0);
	}

	if (ui.focus === 'sessions' && view.selectedSession) {
		return {...ui, focus: 'tail', zoom: true};
	}

	return ui.focus === 'prompt' ? focusPane(ui, 'prompt', context) : ui;
}

function historyStep(ui: UiState, delta: -1 | 1, context: KeyContext): UiState {
	const history = context.promptHistory;
	const from = ui.prompt.historyIndex ?? history.length;
	const index = Math.max(0, Math.min(history.length, from + delta));
	const line = lineOf(index === history.length ? '' : history[index]);
	return {...ui, prompt: {draft: line.value, cursor: line.cursor, historyIndex: index}};
}

/**
Edits whichever line is being typed: the filter or the prompt.
*/
function edit(ui: UiState, action: LineEdit): UiState {
	if (ui.mode === 'filter') {
		const line = editLine({value: ui.filters[ui.filterTarget], cursor: ui.filterCursor}, action);
		return {...setFilter(ui, ui.filterTarget, line.value), filterCursor: line.cursor};
	}

	if (ui.mode === 'prompt') {
		const line = editLine({value: ui.prompt.draft, cursor: ui.prompt.cursor}, action);
		return {...ui, prompt: {draft: line.value, cursor: line.cursor, historyIndex: ui.prompt.historyIndex}};
	}

	return ui;
}

function asked(ui: UiState, context: KeyContext, result: ReturnType<typeof askKill>): UiState {
	return 'confirm' in result
		? {
			...ui, mode: 'confirm', confirm: result.confirm, status: undefined,
		}
		: withStatus(ui, context, result.status, 'warn');
}

function confirmYes(ui: UiState, context: KeyContext): Step {
	const closed = {...ui, mode: 'normal' as const, confirm: undefined};
	const c = ui.confirm;
	if (!c) {
		return done(closed);
	}

	switch (c.kind) {
		case 'kill': {
			return stillOpen(context, c.id) ? done(closed, {type: 'kill', id: c.id, force: c.force}) : done(withStatus(closed, context, 'session already closed', 'warn'));
		}

		case 'restart': {
			return done(closed, {type: 'restart', server: c.server});
		}

		case 'quit': {
			return done(closed, {type: 'quit'});
		}
	}
}

/**
Pure: one action applied to the UI state, with the side effects it asks for.
*/
export function reduce(ui: UiState, action: Action, context: KeyContext): Step {
	const move = moves[action.type];
	if (move) {
		return done(navigate(ui, move, context));
	}

	switch (action.type) {
		case 'app.help': {return done({...ui, mode: 'help', helpScroll: 0});}

		case 'help.close': {return done({...ui, mode: 'normal'});}

		case 'help.scroll': {return done({...ui, helpScroll: Math.max(0, ui.helpScroll + action.delta)});}

		case 'app.quit': {
			const question = askQuit(context);
			return question ? done(asked(ui, context, question)) : done(ui, {type: 'quit'});
		}

		case 'app.interrupt': {
			// On the prompt pane the first Ctrl+C is the run's, as in a shell; it does not arm quitting.
			if (ui.focus === 'prompt' && agentRunning(context)) {
				return done(withStatus({...ui, ctrlCAt: undefined}, context, 'agent run cancelled · Ctrl+C twice quits', 'warn'), {type: 'prompt.cancel'});
			}

			if (ui.ctrlCAt !== undefined && context.now - ui.ctrlCAt <= interruptWindowMs) {
				return done(ui, {type: 'quit'});
			}

			const calm = ui.mode === 'confirm' ? {...ui, mode: 'normal' as const, confirm: undefined} : ui;
			return done(withStatus({...calm, ctrlCAt: context.now}, context, 'Ctrl+C again to quit', 'warn'));
		}

		case 'pane.next': {return done(cyclePane(ui, 1, context));}

		case 'pane.prev': {return done(cyclePane(ui, -1, context));}

		case 'pane.servers': {return done(focusPane(ui, 'servers', context));}

		case 'pane.sessions': {return done(focusPane(ui, 'sessions', context));}

		case 'pane.tail': {return done(focusPane(ui, 'tail', context));}

		case 'pane.prompt': {return done(focusPane(ui, 'prompt', context));}

		case 'view.enter': {return done(enter(ui, context));}

		case 'view.back': {
			// Esc stops a run, as the key table says. Typing, the first Esc only leaves the input.
			return ui.focus === 'prompt' && !ui.zoom && agentRunning(context) ? done(withStatus(ui, context, 'agent run cancelled', 'warn'), {type: 'prompt.cancel'}) : done(back(ui));
		}

		case 'view.zoom': {return done({...ui, zoom: !ui.zoom});}

		case 'view.log': {
			const view = deriveView(context.snapshot, ui);
			return done(view.selectedSession ? {...ui, focus: 'tail', zoom: true} : withStatus(ui, context, 'no session selected', 'warn'));
		}

		case 'log.export': {
			const view = deriveView(context.snapshot, ui);
			const s = view.selectedSession;
			const log = {
				key: view.tailKey, server: s?.server, pid: s?.pid, lines: view.tail.lines, total: view.tail.total, now: context.now,
			};
			return done(ui, {type: 'export', log});
		}

		case 'view.freeze': {return done({...ui, frozen: !ui.frozen});}

		case 'view.filter': {
			const filterTarget: FilterTarget = ui.focus === 'tail' ? 'tail' : 'sessions';
			return done({
				...ui, mode: 'filter', filterTarget, filterCursor: lineOf(ui.filters[filterTarget]).cursor,
			});
		}

		case 'filter.set': {return done({...setFilter(ui, ui.filterTarget, action.text), filterCursor: lineOf(action.text).cursor});}

		case 'filter.accept': {return done({...ui, mode: 'normal'});}

		case 'filter.cancel': {return done({...setFilter(ui, ui.filterTarget, ''), mode: 'normal'});}

		case 'tail.follow': {
			return done(ui.tail.follow ? pauseTail(ui, deriveView(context.snapshot, ui), context) : {...ui, tail: {follow: true, anchor: 0, pausedTotal: 0}});
		}

		case 'tail.wrap': {return done(ui.focus === 'prompt' ? {...ui, agent: {...ui.agent, wrap: !ui.agent.wrap}} : {...ui, wrap: !ui.wrap});}

		case 'agent.older': {return done(pickAgent(ui, -1, context));}

		case 'agent.newer': {return done(pickAgent(ui, 1, context));}

		case 'tail.timestamps': {return done({...ui, timestamps: !ui.timestamps});}

		case 'tail.clear': {
			const view = deriveView(context.snapshot, ui);
			const cleared = new Map(ui.cleared).set(view.tailKey, {seq: view.tail.total, at: context.now});
			return done({...ui, cleared, tail: {follow: true, anchor: 0, pausedTotal: 0}});
		}

		case 'tail.nextMatch':
		case 'tail.prevMatch': {
			const jumped = jumpMatch(ui, deriveView(context.snapshot, ui), context, action.type === 'tail.nextMatch' ? 1 : -1);
			return done(jumped.status ? withStatus(jumped.ui, context, jumped.status, 'warn') : jumped.ui);
		}

		case 'table.figures': {return done({...ui, figures: ui.figures === 'latency' ? 'usage' : 'latency'});}

		case 'table.sort': {return done({...ui, sort: sortOrder[(sortOrder.indexOf(ui.sort) + 1) % sortOrder.length]});}

		case 'session.kill': {return done(asked(ui, context, askKill(ui, deriveView(context.snapshot, ui), context, false)));}

		case 'session.forceKill': {return done(asked(ui, context, askKill(ui, deriveView(context.snapshot, ui), context, true)));}

		case 'server.restart': {return done(asked(ui, context, askRestart(ui, deriveView(context.snapshot, ui))));}

		case 'prompt.cancelRun': {return done(ui, {type: 'prompt.cancel'});}

		case 'confirm.yes': {return confirmYes(ui, context);}

		case 'confirm.no': {return done({...ui, mode: 'normal', confirm: undefined});}

		case 'prompt.submit': {
			const text = ui.prompt.draft.trim();
			if (text === '') {
				return done(ui);
			}

			// The agent would drop it; keep the draft so nothing typed is lost.
			if (agentRunning(context)) {
				return done(withStatus(ui, context, 'a run is in progress: Ctrl+C cancels it, then Enter sends this', 'warn'));
			}

			const agent = {...ui.agent, pick: undefined, scroll: undefined};
			return done({...ui, agent, prompt: {draft: '', cursor: 0, historyIndex: undefined}}, {type: 'prompt.submit', text});
		}

		case 'prompt.leave': {return done({...ui, mode: 'normal'});}

		case 'prompt.history': {return done(historyStep(ui, action.delta, context));}

		case 'text.insert':
		case 'text.backspace':
		case 'text.delete':
		case 'text.move':
		case 'text.clear': {
			return done(edit(ui, action));
		}

		case 'status': {return done({
			...ui, status: {
				text: action.text, tone: action.tone, at: context.now, ms: action.ms,
			},
		});}

		case 'status.clear': {return done(ui.status?.at === action.at ? {...ui, status: undefined} : ui);}

		default: {return done(ui);}
	}
}
