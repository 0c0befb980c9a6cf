import {Text} from 'ink';
import {memo} from 'react';
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
function TitleLine({text, focused, extra, extraColor}: Props) {
	return (
		<Text wrap='truncate-end'>
			<Text bold color={focused ? tone.accent : undefined}>{focused ? `${glyph.selected} ` : '  '}{text}</Text>
			{extra ? <Text color={extraColor}>{'  '}{extra}</Text> : null}
		</Text>
	);
}

/**
Memoized: most frames leave every title as it was, and Ink lays out again whatever re-renders.
*/
export const Title = memo(TitleLine);
