import type {Key} from 'ink';
import {keyToActions} from '../keymap.js';
import type {Effect, KeyContext, Step} from './key-context.js';
import {reduce} from './reduce.js';
import type {UiState} from './ui-state.js';

const isText = (ui: UiState): boolean => ui.mode === 'filter' || ui.mode === 'prompt';

function applyKey(ui: UiState, input: string, key: Key, context: KeyContext, effects: Effect[]): UiState {
	let state = ui;
	for (const action of keyToActions(state.mode, input, key, {focus: state.focus, readOnly: context.readOnly})) {
		const step = reduce(state, action, context);
		state = step.ui;
		effects.push(...step.effects);
	}

	return state;
}

/**
 One stdin event. Over slow SSH `jjx` arrives as one string: command modes
 take it a character at a time, re-reading the mode after each, and once a
 character opens the filter or the prompt the rest is typed into it. Text
 modes take a chunk whole, as a paste.
 */
export function handleKeys(ui: UiState, input: string, key: Key, context: KeyContext): Step {
	const effects: Effect[] = [];
	// Typed fast (or over a slow link) a task and its Enter arrive as one chunk: still a submit.
	// Only a trailing one: line breaks inside a paste stay text.
	if (ui.mode === 'prompt' && input.length > 1 && input.endsWith('\r') && !/[\n\r]/.test(input.slice(0, -1)) && !key.ctrl && !key.meta) {
		const typed = applyKey(ui, input.slice(0, -1), key, context, effects);
		return {ui: applyKey(typed, '', {...key, return: true}, context, effects), effects};
	}

	const chars = [...input];
	if (chars.length <= 1 || isText(ui) || key.ctrl || key.meta) {
		return {ui: applyKey(ui, input, key, context, effects), effects};
	}

	let state = ui;
	for (const [i, ch] of chars.entries()) {
		if (isText(state)) {
			state = reduce(state, {type: 'text.insert', text: chars.slice(i).join('')}, context).ui;
			break;
		}

		state = applyKey(state, ch, {...key, shift: /[A-Z]/.test(ch)}, context, effects);
		if (effects.some(e => e.type === 'quit')) {
			break;
		}
	}

	return {ui: state, effects};
}
