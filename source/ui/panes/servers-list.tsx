import {Box, Text} from 'ink';
import type {ServerRow} from '../../store/types.js';
import {useWindowStart} from '../hooks/use-window-start.js';
import {glyph, serverBadge, tone} from '../theme.js';
import {Title} from './title.js';

type Props = {
	servers: readonly ServerRow[];
	selected: number;
	focused: boolean;
	/**
	Lines including the title.
	*/
	height: number;
};

export function ServersList({servers, selected, focused, height}: Props) {
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
				return (
					<Text key={s.name} wrap='truncate-end' inverse={isSelected}>
						{isSelected ? `${glyph.selected} ` : '  '}
						<Text color={badge.color}>{badge.glyph}</Text>
						{` ${s.name.padEnd(width)} ${String(s.sessions).padStart(3)} open  ${badge.label}`}
						{s.crashes > 0 ? <Text color={tone.crashed}>{`  ${glyph.crashed}${s.crashes}`}</Text> : null}
					</Text>
				);
			})}
		</Box>
	);
}
