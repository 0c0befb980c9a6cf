import type {DashboardSnapshot} from '../store/types.js';
import {layoutAgent} from './agent-layout.js';
import {planLayout, type Plan} from './layout.js';
import type {PromptSnapshot} from './prompt-port.js';
import type {KeyContext} from './state/key-context.js';
import type {UiState} from './state/ui-state.js';

/**
What the plan depends on besides the UI state.
*/
export type ScreenInput = {
	columns: number;
	rows: number;
	serverCount: number;
	/**
	An agent is configured, so the prompt pane can take focus and show its answers.
	*/
	promptAvailable: boolean;
};

/**
 The plan for a terminal size and UI state. Render draws it and the reducer
 pages by it, each calling this same pure function, so a key never acts on
 sizes other than the ones drawn for the same state.
 */
export function planScreen(input: ScreenInput, ui: Pick<UiState, 'zoom' | 'focus'>): Plan {
	return planLayout(input.columns, input.rows, {
		zoom: ui.zoom, focus: ui.focus, serverCount: input.serverCount, agent: ui.focus === 'prompt' && input.promptAvailable,
	});
}

/**
What a key is handled against, read when it arrives.
*/
export type KeySources = {
	columns: number;
	rows: number;
	/**
	What is on screen: the held snapshot while frozen, else the newest.
	*/
	snapshot: DashboardSnapshot;
	now: number;
	readOnly: boolean;
	/**
	The agent's state now; absent when no agent is configured.
	*/
	prompt: PromptSnapshot | undefined;
};

/**
The reducer's context for one key: the layout is computed here once, from the UI state the key starts from.
*/
export function keyContext(ui: UiState, sources: KeySources): KeyContext {
	const {columns, rows, snapshot, prompt} = sources;
	const plan = planScreen({
		columns, rows, serverCount: snapshot.servers.length, promptAvailable: prompt !== undefined,
	}, ui);
	return {
		snapshot,
		now: sources.now,
		readOnly: sources.readOnly,
		pages: plan.pages,
		promptAvailable: prompt !== undefined,
		promptHistory: prompt?.history ?? [],
		agent: prompt && layoutAgent(prompt, ui.agent, plan).context,
	};
}
