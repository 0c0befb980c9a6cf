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

export function SessionsSlot({layout, height, width}: {layout: LayoutProps; height: number; width: number}) {
	return (
		<SessionsTable
			rows={layout.view.sessions} selected={layout.view.sessionIndex} focused={layout.ui.focus === 'sessions'}
			height={height} width={width} now={layout.snapshot.now} latency={layout.snapshot.latency.sessions}
			usage={layout.snapshot.usage} figures={layout.ui.figures} sort={layout.ui.sort} filter={layout.ui.filters.sessions} drillServer={layout.ui.drillServer}
		/>
	);
}

export function TailSlot({layout, height, width}: {layout: LayoutProps; height: number; width: number}) {
	return (
		<TailPane
			view={layout.view} tail={layout.ui.tail} filter={layout.ui.filters.tail} wrap={layout.ui.wrap} timestamps={layout.ui.timestamps}
			focused={layout.ui.focus === 'tail'} height={height} width={width}
		/>
	);
}

export function ServersSlot({layout, height}: {layout: LayoutProps; height: number}) {
	return <ServersList servers={layout.view.servers} usage={layout.snapshot.serverUsage} selected={layout.view.serverIndex} focused={layout.ui.focus === 'servers'} height={height} />;
}

export function PromptLineSlot({layout}: {layout: LayoutProps}) {
	return (
		<PromptLine
			snapshot={layout.prompt} available={layout.promptAvailable} focused={layout.ui.focus === 'prompt'}
			typing={layout.ui.mode === 'prompt'} draft={layout.ui.prompt.draft} cursor={layout.ui.prompt.cursor}
		/>
	);
}

export function PromptPaneSlot({layout, height, width}: {layout: LayoutProps; height: number; width: number}) {
	return (
		<PromptPane
			snapshot={layout.prompt} available={layout.promptAvailable} focused={layout.ui.focus === 'prompt'}
			typing={layout.ui.mode === 'prompt'} draft={layout.ui.prompt.draft} cursor={layout.ui.prompt.cursor} agent={layout.agent} height={height} width={width}
		/>
	);
}

export function AgentSlot({layout, height, width}: {layout: LayoutProps; height: number; width: number}) {
	return <AgentView model={layout.agent} snapshot={layout.prompt} focused={layout.ui.focus === 'prompt'} height={height} width={width} />;
}

export function HelpSlot({layout, height, width}: {layout: LayoutProps; height: number; width: number}) {
	return <HelpOverlay readOnly={layout.info.readOnly} focus={layout.ui.focus} height={height} width={width} scroll={layout.ui.helpScroll} />;
}

/**
One pane filling a region: compact layout and zoom.
*/
export function SinglePane({layout, pane, height, width}: {layout: LayoutProps; pane: Pane; height: number; width: number}) {
	switch (pane) {
		case 'servers': {return <ServersSlot layout={layout} height={height} />;}

		case 'sessions': {return <SessionsSlot layout={layout} height={height} width={width} />;}

		case 'tail': {return <TailSlot layout={layout} height={height} width={width} />;}

		case 'prompt': {return <PromptPaneSlot layout={layout} height={height} width={width} />;}
	}
}
