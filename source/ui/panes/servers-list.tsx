import {Box, Text} from 'ink';
import type {ServerRow, Usage} from '../../store/types.js';
import {useWindowStart} from '../hooks/use-window-start.js';
import {usageText} from '../usage-text.js';
import {glyph, serverBadge, tone} from '../theme.js';
import {Title} from './title.js';

type Props = {
	servers: readonly ServerRow[];
	usage?: ReadonlyMap<string, Usage>;
	selected: number;
	focused: boolean;
	/**
	Lines including the title.
	*/
	height: number;
};

/**
One line a server: its state, open children and what they cost, and how many were started and crashed (as process-compose counts restarts).
*/
export function ServersList({servers, usage, selected, focused, height}: Props) {
	const rows = Math.max(0, height - 1);
	const start = useWindowStart(selected, servers.length, rows);
	const width = Math.max(6, ...servers.map(s => s.name.length));
	return (
		<Box flexDirection='column' height={height} overflow='hidden'>
			<Title text={`Servers ${servers.length}`} focused={focused} />
			{servers.length === 0 ? <Text color={tone.muted}>  no servers configured</Text> : null}
			{servers.slice(start, start + rows).map((s, i) => {
				const isSelected = focused && start + i === selected;
				const badge = serverBadge(s);
				const cost = usage?.get(s.name);
				return (
					<Text key={s.name} wrap='truncate-end' inverse={isSelected}>
						{isSelected ? `${glyph.selected} ` : '  '}
						<Text color={badge.color}>{badge.glyph}</Text>
						{` ${s.name.padEnd(width)} ${String(s.sessions).padStart(3)} open  ${badge.label}`}
						{cost ? `  ${usageText(cost)}` : ''}
						{s.prewarmed > 0 ? <Text color={tone.muted}>{`  ${s.prewarmed} warm`}</Text> : null}
						{s.spawned > 0 ? <Text color={tone.muted}>{`  ${s.spawned} started`}</Text> : null}
						{s.crashes > 0 ? <Text color={tone.crashed}>{`  ${glyph.crashed}${s.crashes} crashed`}</Text> : null}
					</Text>
				);
			})}
		</Box>
	);
}
