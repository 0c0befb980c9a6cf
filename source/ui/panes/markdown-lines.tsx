import {Text} from 'ink';
import {memo} from 'react';
import type {DocLine, DocStyle, Seg} from '../state/doc-lines.js';
import {tone} from '../theme.js';

type Look = {bold?: boolean; color?: string};

// Headings and bold keep `bold` without colour; status lines keep their ✅/❌.
const looks: Record<DocStyle, Look> = {
	heading: {bold: true, color: tone.heading},
	bold: {bold: true},
	code: {color: tone.code},
	error: {color: tone.error},
	success: {bold: true, color: tone.ok},
	plain: {},
	muted: {color: tone.muted},
	border: {color: tone.border},
};

function Segment({seg}: {seg: Seg}) {
	const look = looks[seg.style];
	return look.bold || look.color ? <Text bold={look.bold} color={look.color}>{seg.text}</Text> : <>{seg.text}</>;
}

/**
One styled line; cut at the edge rather than wrapped by Ink, which would break the line budget.
*/
export const DocRow = memo(function DocRow({line}: {line: DocLine}) {
	return (
		<Text wrap='truncate-end'>
			{' '}
			{line.segs.map((seg, i) => <Segment key={i} seg={seg} />)}
		</Text>
	);
});
