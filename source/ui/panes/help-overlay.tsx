import {Box, Text} from 'ink';
import {helpLines} from '../keymap.js';
import type {Pane} from '../state/ui-state.js';
import {tone} from '../theme.js';

type Props = {
	readOnly: boolean;
	/**
	Its keys are listed first.
	*/
	focus?: Pane;
	height: number;
	width: number;
	scroll: number;
};

/**
Generated from the keymap; two columns from 60 columns up, scrolled with j/k when it overflows.
*/
export function HelpOverlay({readOnly, focus, height, width, scroll}: Props) {
	const lines = helpLines(readOnly, focus);
	const keysWidth = Math.max(...lines.map(l => l.keys.length));
	const columns = width >= 60 ? 2 : 1;
	const rows = Math.max(0, height - 1);
	const perColumn = Math.ceil(lines.length / columns);
	const maxScroll = Math.max(0, perColumn - rows);
	const from = Math.min(scroll, maxScroll);
	const colWidth = Math.floor(width / columns);
	return (
		<Box flexDirection='column' height={height} overflow='hidden'>
			<Text bold color={tone.accent} wrap='truncate-end'>  Keys{readOnly ? ' (read-only)' : ''}{maxScroll > 0 ? `  ${from + 1}-${from + rows}/${perColumn}` : ''}</Text>
			<Box>
				{Array.from({length: columns}, (_, c) => (
					<Box key={c} flexDirection='column' width={colWidth}>
						{lines.slice(c * perColumn, (c + 1) * perColumn).slice(from, from + rows).map(l => (
							l.heading
								? <Text key={l.text} wrap='truncate-end' bold color={tone.heading}>{'  '}{l.text}</Text>
								: (
									<Text key={l.keys + l.text} wrap='truncate-end'>
										{'  '}
										<Text bold>{l.keys.padEnd(keysWidth)}</Text>
										{' '}{l.text}
									</Text>
								)
						))}
					</Box>
				))}
			</Box>
		</Box>
	);
}
