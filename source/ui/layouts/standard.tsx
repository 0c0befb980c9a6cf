import {Box} from 'ink';
import {Footer} from '../panes/footer.js';
import {Header} from '../panes/header.js';
import {ServersStrip} from '../panes/servers-strip.js';
import {AgentSlot, HelpSlot, PromptLineSlot, SessionsSlot, SinglePane, TailSlot, type LayoutProps} from './slots.js';

/**
80×24 and up to wide: title lines instead of borders, which would cost two lines a pane.
*/
export function StandardLayout(layout: LayoutProps) {
	if (layout.plan.kind !== 'standard') {
		return null;
	}

	const {plan, ui} = layout;
	let body;
	if (ui.mode === 'help') {
		body = <HelpSlot layout={layout} height={plan.body} width={plan.columns} />;
	} else if (ui.zoom && plan.agentBox > 0) {
		// The prompt line is always below; zoomed, the agent pane takes the whole body.
		body = <AgentSlot layout={layout} height={plan.agentBox} width={plan.agentWidth} />;
	} else if (ui.zoom) {
		body = <SinglePane layout={layout} pane={ui.focus} height={plan.body} width={plan.columns} />;
	} else {
		body = (
			<>
				<SessionsSlot layout={layout} height={plan.sessionsBox} width={plan.tableWidth} />
				{plan.agentBox > 0
					? <AgentSlot layout={layout} height={plan.agentBox} width={plan.agentWidth} />
					: <TailSlot layout={layout} height={plan.tailBox} width={plan.tailWidth} />}
			</>
		);
	}

	return (
		<Box flexDirection='column' height={plan.height} width={plan.columns} overflow='hidden'>
			<Header info={layout.info} snapshot={layout.snapshot} follow={ui.tail.follow} frozen={ui.frozen ? layout.waiting : undefined} width={plan.columns} />
			<ServersStrip servers={layout.view.servers} usage={layout.snapshot.serverUsage} selected={layout.view.serverIndex} focused={ui.focus === 'servers'} width={plan.columns} />
			<Box flexDirection='column' height={plan.body} overflow='hidden'>{body}</Box>
			<PromptLineSlot layout={layout} />
			<Footer ui={ui} readOnly={layout.info.readOnly} width={plan.columns} agentRunning={layout.prompt.state === 'running'} />
		</Box>
	);
}
