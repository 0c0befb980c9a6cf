import {Text} from 'ink';
import type {Pane} from '../state/ui-state.js';
import {glyph, tone} from '../theme.js';

const tabs: ReadonlyArray<[Pane, string]> = [['servers', '1 Srv'], ['sessions', '2 Ses'], ['tail', '3 Log'], ['prompt', `4 ${glyph.prompt}`]];

/**
Compact layout's pane switcher; the current tab carries the `›` marker.
*/
export function TabLine({focus}: {focus: Pane}) {
	return (
		<Text wrap='truncate-end'>
			{tabs.map(([pane, label]) => (
				<Text key={pane} inverse={pane === focus} bold={pane === focus} color={pane === focus ? tone.accent : undefined}>
					{pane === focus ? glyph.selected : ' '}{label}{' '}
				</Text>
			))}
		</Text>
	);
}
