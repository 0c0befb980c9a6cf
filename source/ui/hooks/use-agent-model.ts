import {useMemo} from 'react';
import type {Plan} from '../layout.js';
import type {AgentModel} from '../panes/agent-view.js';
import type {PromptSnapshot} from '../prompt-port.js';
import {agentDoc} from '../state/agent-doc.js';
import {agentItems, pickedIndex, resolveTop, type AgentEnv} from '../state/agent-items.js';
import type {UiState} from '../state/ui-state.js';

/**
 The agent pane's lines, laid out for the plan's width, and what the reducer
 needs to scroll them: both come from one computation so they cannot disagree.
 */
export function useAgentModel(snapshot: PromptSnapshot, state: UiState['agent'], plan: Plan): {model: AgentModel; env: AgentEnv} {
	const items = useMemo(() => agentItems(snapshot), [snapshot]);
	const keys = useMemo(() => items.map(item => item.key), [items]);
	const index = pickedIndex(keys, state.pick);
	const item = items[index];
	// One column for the pane's left margin.
	const width = Math.max(1, plan.agentWidth - 1);
	const shown = plan.agentBox > 0;
	const lines = useMemo(() => (shown ? agentDoc(item, width, state.wrap) : []), [shown, item, width, state.wrap]);
	const page = Math.max(1, plan.agentBox - 1);
	const top = resolveTop(state.scroll, item?.key, item?.state === 'running', lines.length, page);
	return {
		model: {
			item, index, count: items.length, lines, top, wrap: state.wrap,
		},
		env: {
			running: snapshot.state === 'running', keys, shown: item?.key, lines: lines.length, page,
		},
	};
}
