import {Text} from 'ink';
import {glyph, tone} from '../theme.js';

type Props = {
	text: string;
	focused: boolean;
	/**
	Right-hand detail, e.g. `FOLLOW` or a filter.
	*/
	extra?: string;
	extraColor?: string;
};

/**
A pane's title line; focus shows as a `›` marker, not by colour alone.
*/
export function Title({text, focused, extra, extraColor}: Props) {
	return (
		<Text wrap='truncate-end'>
			<Text bold color={focused ? tone.accent : undefined}>{focused ? `${glyph.selected} ` : '  '}{text}</Text>
			{extra ? <Text color={extraColor}>{'  '}{extra}</Text> : null}
		</Text>
	);
}
