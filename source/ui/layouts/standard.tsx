import {Box} from 'ink';
import {Footer} from '../panes/footer.js';
import {Header} from '../panes/header.js';
import {ServersStrip} from '../panes/servers-strip.js';
import {AgentSlot, HelpSlot, PromptLineSlot, SessionsSlot, SinglePane, TailSlot, type LayoutProps} from './slots.js';

/**
80×24 and up to wide: title lines instead of borders, which would cost two lines a pane.
*/
export function StandardLayout(p: LayoutProps) {
	if (p.plan.kind !== 'standard') {
		return null;
	}

	const {plan, ui} = p;
	let body;
	if (ui.mode === 'help') {
		body = <HelpSlot p={p} height={plan.body} width={plan.columns} />;
	}
	// The prompt line is always below; zoomed, the agent pane takes the whole body.
	else if (ui.zoom && plan.agentBox > 0) {
		body = <AgentSlot p={p} height={plan.agentBox} width={plan.agentWidth} />;
	} else if (ui.zoom) {
		body = <SinglePane p={p} pane={ui.focus} height={plan.body} width={plan.columns} />;
	} else {
		body = (
			<>
				<SessionsSlot p={p} height={plan.sessionsBox} width={plan.tableWidth} />
				{plan.agentBox > 0
					? <AgentSlot p={p} height={plan.agentBox} width={plan.agentWidth} />
					: <TailSlot p={p} height={plan.tailBox} width={plan.tailWidth} />}
			</>
		);
	}

	return (
		<Box flexDirection='column' height={plan.height} width={plan.columns} overflow='hidden'>
			<Header info={p.info} snapshot={p.snapshot} follow={ui.tail.follow} frozen={ui.frozen ? p.waiting : undefined} width={plan.columns} />
			<ServersStrip servers={p.view.servers} usage={p.snapshot.serverUsage} selected={p.view.serverIndex} focused={ui.focus === 'servers'} width={plan.columns} />
			<Box flexDirection='column' height={plan.body} overflow='hidden'>{body}</Box>
			<PromptLineSlot p={p} />
			<Footer ui={ui} readOnly={p.info.readOnly} width={plan.columns} agentRunning={p.prompt.state === 'running'} />
		</Box>
	);
}
