import type {Plan} from './layout.js';
import type {AgentModel} from './panes/agent-view.js';
import type {PromptSnapshot} from './prompt-port.js';
import {agentDoc} from './state/agent-doc.js';
import {agentItems, pickedIndex, resolveTop, type AgentContext} from './state/agent-items.js';
import type {UiState} from './state/ui-state.js';

export type AgentLayout = {
	model: AgentModel;
	context: AgentContext;
};

/**
 The agent pane's lines, laid out for the plan's width, and what the reducer
 needs to scroll them: both come from one computation so they cannot disagree.
 */
export function layoutAgent(snapshot: PromptSnapshot, state: UiState['agent'], plan: Plan): AgentLayout {
	const items = agentItems(snapshot);
	const keys = items.map(item => item.key);
	const index = pickedIndex(keys, state.pick);
	const item = items[index];
	// One column for the pane's left margin.
	const width = Math.max(1, plan.agentWidth - 1);
	// Wrapping an answer is the costly part, and only a shown pane needs it.
	const lines = plan.agentBox > 0 ? agentDoc(item, width, state.wrap) : [];
	const page = Math.max(1, plan.agentBox - 1);
	const top = resolveTop(state.scroll, item?.key, item?.state === 'running', lines.length, page);
	return {
		model: {
			item, index, count: items.length, lines, top, wrap: state.wrap,
		},
		context: {
			running: snapshot.state === 'running', keys, shown: item?.key, lines: lines.length, page,
		},
	};
}
