import {Box, Text} from 'ink';
import {formatClock, shortId} from '../../lib/format.js';
import type {SessionRow} from '../../store/types.js';
import {pausedNew, tailStart} from '../state/tail-window.js';
import type {TailState} from '../state/ui-state.js';
import type {ShownLine, View} from '../state/view.js';
import {tone} from '../theme.js';
import {Title} from './title.js';

type Props = {
	view: View;
	tail: TailState;
	filter: string;
	wrap: boolean;
	timestamps: boolean;
	focused: boolean;
	/**
	Lines including the title.
	*/
	height: number;
	width: number;
};

type Shown = {
	key: string;
	text: string;
	time: string;
	marker: boolean;
};

function chunks(text: string, width: number): string[] {
	const chars = [...text];
	if (chars.length <= width || width < 1) {
		return [text];
	}

	const out: string[] = [];
	for (let i = 0; i < chars.length; i += width) {
		out.push(chars.slice(i, i + width).join(''));
	}

	return out;
}

function titleFor(session: SessionRow | undefined): string {
	if (!session) {
		return 'mcpd log';
	}

	const state = session.state === 'closed' || session.state === 'crashed' ? ` (${session.state})` : '';
	return `stderr ${shortId(session.id)} · ${session.server} · pid ${session.pid ?? '-'}${state}`;
}

/**
Windowed stderr of the selected session; wrap is done here so the line budget holds.
*/
export function TailPane({view, tail, filter, wrap, timestamps, focused, height, width}: Props) {
	const rows = Math.max(0, height - 1);
	const lines = view.tailLines;
	const start = tailStart(lines, tail, rows);
	const stamp = (l: ShownLine) => (timestamps && !l.marker ? `${formatClock(l.time)} ` : '');
	let shown: Shown[] = lines.slice(start, start + rows).map(l => ({
		key: String(l.seq), text: l.line, time: stamp(l), marker: Boolean(l.marker),
	}));
	if (wrap) {
		shown = shown.flatMap(s => chunks(s.time + s.text, width - 1).map((text, i) => ({
			key: `${s.key}.${i}`, text, time: '', marker: s.marker,
		})));
		shown = tail.follow ? shown.slice(-rows) : shown.slice(0, rows);
	}

	const fresh = pausedNew(tail, view.tail.total);
	const status = tail.follow ? 'FOLLOW' : `PAUSED +${fresh} new`;
	const extra = [status, filter ? `/${filter}` : '', wrap ? 'wrap' : ''].filter(Boolean).join('  ');
	return (
		<Box flexDirection='column' height={height} overflow='hidden'>
			<Title text={titleFor(view.selectedSession)} focused={focused} extra={extra} extraColor={tail.follow ? tone.ok : tone.warn} />
			{shown.length === 0 ? <Text color={tone.muted}>  {filter ? 'no line matches' : 'no output yet'}</Text> : null}
			{shown.map(s => (
				<Text key={s.key} wrap='truncate-end' color={s.marker ? tone.muted : undefined}>
					{' '}
					{s.time ? <Text color={tone.muted}>{s.time}</Text> : null}
					{s.text}
				</Text>
			))}
		</Box>
	);
}
