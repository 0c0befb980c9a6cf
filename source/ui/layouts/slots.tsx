import type {DashboardSnapshot} from '../../store/types.js';
import type {Plan} from '../layout.js';
import type {DashboardInfo} from '../panes/header.js';
import {HelpOverlay} from '../panes/help-overlay.js';
import {PromptLine} from '../panes/prompt-line.js';
import {PromptPane} from '../panes/prompt-pane.js';
import {ServersList} from '../panes/servers-list.js';
import {SessionsTable} from '../panes/sessions-table.js';
import {TailPane} from '../panes/tail-pane.js';
import type {PromptSnapshot} from '../prompt-port.js';
import type {Pane, UiState} from '../state/ui-state.js';
import type {View} from '../state/view.js';
import {AgentView, type AgentModel} from '../panes/agent-view.js';

/**
Everything a layout passes down; layouts only decide where and how tall.
*/
export type LayoutProps = {
	plan: Plan;
	snapshot: DashboardSnapshot;
	view: View;
	ui: UiState;
	/**
	While frozen: snapshots that arrived since, not drawn.
	*/
	waiting: number;
	info: DashboardInfo;
	prompt: PromptSnapshot;
	promptAvailable: boolean;
	agent: AgentModel;
};

export function SessionsSlot({p, height, width}: {p: LayoutProps; height: number; width: number}) {
	return (
		<SessionsTable
			rows={p.view.sessions} selected={p.view.sessionIndex} focused={p.ui.focus === 'sessions'}
			height={height} width={width} now={p.snapshot.now} latency={p.snapshot.latency.sessions}
			usage={p.snapshot.usage} figures={p.ui.figures} sort={p.ui.sort} filter={p.ui.filters.sessions} drillServer={p.ui.drillServer}
		/>
	);
}

export function TailSlot({p, height, width}: {p: LayoutProps; height: number; width: number}) {
	return (
		<TailPane
			view={p.view} tail={p.ui.tail} filter={p.ui.filters.tail} wrap={p.ui.wrap} timestamps={p.ui.timestamps}
			focused={p.ui.focus === 'tail'} height={height} width={width}
		/>
	);
}

export function ServersSlot({p, height}: {p: LayoutProps; height: number}) {
	return <ServersList servers={p.view.servers} usage={p.snapshot.serverUsage} selected={p.view.serverIndex} focused={p.ui.focus === 'servers'} height={height} />;
}

export function PromptLineSlot({p}: {p: LayoutProps}) {
	return (
		<PromptLine
			snapshot={p.prompt} available={p.promptAvailable} focused={p.ui.focus === 'prompt'}
			typing={p.ui.mode === 'prompt'} draft={p.ui.prompt.draft} cursor={p.ui.prompt.cursor}
		/>
	);
}

export function PromptPaneSlot({p, height, width}: {p: LayoutProps; height: number; width: number}) {
	return (
		<PromptPane
			snapshot={p.prompt} available={p.promptAvailable} focused={p.ui.focus === 'prompt'}
			typing={p.ui.mode === 'prompt'} draft={p.ui.prompt.draft} cursor={p.ui.prompt.cursor} agent={p.agent} height={height} width={width}
		/>
	);
}

export function AgentSlot({p, height, width}: {p: LayoutProps; height: number; width: number}) {
	return <AgentView model={p.agent} snapshot={p.prompt} focused={p.ui.focus === 'prompt'} height={height} width={width} />;
}

export function HelpSlot({p, height, width}: {p: LayoutProps; height: number; width: number}) {
	return <HelpOverlay readOnly={p.info.readOnly} focus={p.ui.focus} height={height} width={width} scroll={p.ui.helpScroll} />;
}

/**
One pane filling a region: compact layout and zoom.
*/
export function SinglePane({p, pane, height, width}: {p: LayoutProps; pane: Pane; height: number; width: number}) {
	switch (pane) {
		case 'servers': {return <ServersSlot p={p} height={height} />;}

		case 'sessions': {return <SessionsSlot p={p} height={height} width={width} />;}

		case 'tail': {return <TailSlot p={p} height={height} width={width} />;}

		case 'prompt': {return <PromptPaneSlot p={p} height={height} width={width} />;}
	}
}
