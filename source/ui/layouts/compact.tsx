import {Box} from 'ink';
import {Footer} from '../panes/footer.js';
import {Header} from '../panes/header.js';
import {TabLine} from '../panes/tab-line.js';
import {HelpSlot, SinglePane, type LayoutProps} from './slots.js';

/**
Narrow or short terminals: one pane at a time behind a tab line; latency lives in the header.
*/
export function CompactLayout(p: LayoutProps) {
	if (p.plan.kind !== 'compact') {
		return null;
	}

	const {plan, ui} = p;
	return (
		<Box flexDirection='column' height={plan.height} width={plan.columns} overflow='hidden'>
			<Header info={p.info} snapshot={p.snapshot} follow={ui.tail.follow} frozen={ui.frozen ? p.waiting : undefined} width={plan.columns} />
			<TabLine focus={ui.focus} />
			<Box flexDirection='column' height={plan.body} overflow='hidden'>
				{ui.mode === 'help'
					? <HelpSlot p={p} height={plan.body} width={plan.columns} />
					: <SinglePane p={p} pane={ui.focus} height={plan.body} width={plan.columns} />}
			</Box>
			<Footer ui={ui} readOnly={p.info.readOnly} width={plan.columns} agentRunning={p.prompt.state === 'running'} />
		</Box>
	);
}
