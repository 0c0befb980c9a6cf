import {Box} from 'ink';
import type {ReactNode} from 'react';
import {Footer} from '../panes/footer.js';
import {Header} from '../panes/header.js';
import {LatencyPane} from '../panes/latency-pane.js';
import {tone} from '../theme.js';
import {AgentSlot, HelpSlot, PromptLineSlot, ServersSlot, SessionsSlot, SinglePane, TailSlot, type LayoutProps} from './slots.js';

function Frame({height, width, focused, children}: {height: number; width?: number; focused: boolean; children: ReactNode}) {
	return (
		<Box borderStyle='round' borderColor={focused ? tone.focusBorder : tone.border} flexDirection='column' height={height} width={width} flexShrink={0} overflow='hidden'>
			{children}
		</Box>
	);
}

/**
≥120×40, pm2-monit proportions: servers over latency at 30 %, sessions over the tail at 70 %.
*/
export function WideLayout(layout: LayoutProps) {
	if (layout.plan.kind !== 'wide') {
		return null;
	}

	const {plan, ui} = layout;
	const inner = (h: number) => Math.max(0, h - 2);
	let body;
	if (ui.mode === 'help') {
		body = <Frame height={plan.body} focused={false}><HelpSlot layout={layout} height={inner(plan.body)} width={plan.columns - 2} /></Frame>;
	} else if (ui.zoom && ui.focus !== 'prompt') {
		body = <Frame height={plan.body} focused><SinglePane layout={layout} pane={ui.focus} height={inner(plan.body)} width={plan.columns - 2} /></Frame>;
	} else {
		body = (
			<>
				<Box flexDirection='column' width={plan.leftWidth}>
					<Frame height={plan.serversBox} width={plan.leftWidth} focused={ui.focus === 'servers'}><ServersSlot layout={layout} height={inner(plan.serversBox)} /></Frame>
					<Frame height={plan.latencyBox} width={plan.leftWidth} focused={false}>
						<LatencyPane latency={layout.snapshot.latency} height={inner(plan.latencyBox)} width={plan.leftWidth - 2} />
					</Frame>
				</Box>
				<Box flexDirection='column' flexGrow={1}>
					<Frame height={plan.sessionsBox} focused={ui.focus === 'sessions'}><SessionsSlot layout={layout} height={inner(plan.sessionsBox)} width={plan.tableWidth} /></Frame>
					<Frame height={plan.tailBox} focused={ui.focus === 'tail'}><TailSlot layout={layout} height={inner(plan.tailBox)} width={plan.tailWidth} /></Frame>
				</Box>
			</>
		);
	}

	return (
		<Box flexDirection='column' height={plan.height} width={plan.columns} overflow='hidden'>
			<Header info={layout.info} snapshot={layout.snapshot} follow={ui.tail.follow} frozen={ui.frozen ? layout.waiting : undefined} width={plan.columns} />
			{plan.body > 0 ? <Box height={plan.body} overflow='hidden'>{body}</Box> : null}
			<Frame height={plan.promptBox} focused={ui.focus === 'prompt'}>
				{plan.agentBox > 0 ? <AgentSlot layout={layout} height={plan.agentBox} width={plan.agentWidth} /> : null}
				<PromptLineSlot layout={layout} />
			</Frame>
			<Footer ui={ui} readOnly={layout.info.readOnly} width={plan.columns} agentRunning={layout.prompt.state === 'running'} />
		</Box>
	);
}
