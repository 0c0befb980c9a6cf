import {Box} from 'ink';
import {Footer} from '../panes/footer.js';
import {Header} from '../panes/header.js';
import {TabLine} from '../panes/tab-line.js';
import {HelpSlot, SinglePane, type LayoutProps} from './slots.js';

/**
Narrow or short terminals: one pane at a time behind a tab line; latency lives in the header.
*/
export function CompactLayout(layout: LayoutProps) {
	if (layout.plan.kind !== 'compact') {
		return null;
	}

	const {plan, ui} = layout;
	return (
		<Box flexDirection='column' height={plan.height} width={plan.columns} overflow='hidden'>
			<Header info={layout.info} snapshot={layout.snapshot} follow={ui.tail.follow} frozen={ui.frozen ? layout.waiting : undefined} width={plan.columns} />
			<TabLine focus={ui.focus} />
			<Box flexDirection='column' height={plan.body} overflow='hidden'>
				{ui.mode === 'help'
					? <HelpSlot layout={layout} height={plan.body} width={plan.columns} />
					: <SinglePane layout={layout} pane={ui.focus} height={plan.body} width={plan.columns} />}
			</Box>
			<Footer ui={ui} readOnly={layout.info.readOnly} width={plan.columns} agentRunning={layout.prompt.state === 'running'} />
		</Box>
	);
}
