import {Text} from 'ink';
import {colorsOff, glyph, tone} from '../theme.js';

type Props = {
	value: string;
	cursor: number;
	placeholder?: string;
};

/**
Shows a line being typed with an inverse cursor (a bar when colours are off); the editing itself is in the reducer.
*/
export function TextField({value, cursor, placeholder = ''}: Props) {
	const chars = [...value];
	const at = Math.max(0, Math.min(cursor, chars.length));
	if (colorsOff()) {
		return chars.length === 0
			? <Text>{glyph.cursor}<Text color={tone.muted}>{placeholder}</Text></Text>
			: <Text>{chars.slice(0, at).join('')}{glyph.cursor}{chars.slice(at).join('')}</Text>;
	}

	if (chars.length === 0) {
		return (
			<Text>
				<Text inverse>{placeholder[0] ?? ' '}</Text>
				<Text color={tone.muted}>{placeholder.slice(1)}</Text>
			</Text>
		);
	}

	return (
		<Text>
			{chars.slice(0, at).join('')}
			<Text inverse>{chars[at] ?? ' '}</Text>
			{chars.slice(at + 1).join('')}
		</Text>
	);
}
