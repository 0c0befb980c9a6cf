import {Box, Text} from 'ink';
import {formatClock, shortId} from '../../lib/format.js';
import type {SessionRow} from '../../store/types.js';
import {chunkPieces, pieces, type Piece} from '../highlight.js';
import {matchPosition} from '../state/search-jump.js';
import {pausedNew, tailStart} from '../state/tail-window.js';
import type {TailState} from '../state/ui-state.js';
import type {ShownLine, View} from '../state/view.js';
import {colorsOff, glyph, tone} from '../theme.js';
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
	pieces: Piece[];
	time: string;
	marker: boolean;
	/**
	The line `n`/`N` jumped to.
	*/
	current: boolean;
};

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
	const search = view.tailSearch;
	let shown: Shown[] = lines.slice(start, start + rows).map(l => ({
		key: String(l.seq),
		pieces: l.marker ? [{text: l.line, hit: false}] : pieces(l.line, search.ranges(l.line)),
		time: stamp(l),
		marker: Boolean(l.marker),
		current: !l.marker && l.seq === tail.match,
	}));
	if (wrap) {
		shown = shown.flatMap(s => chunkPieces([{text: s.time, hit: false}, ...s.pieces], width - 1).map((chunk, i) => ({
			...s, key: `${s.key}.${i}`, pieces: chunk, time: '',
		})));
		shown = tail.follow ? shown.slice(-rows) : shown.slice(0, rows);
	}

	const marks = colorsOff();
	const hit = (text: string, key: number) => (marks ? `${glyph.hitOpen}${text}${glyph.hitClose}` : <Text key={key} inverse>{text}</Text>);
	const fresh = pausedNew(tail, view.tail.total);
	const status = tail.follow ? 'FOLLOW' : `PAUSED +${fresh} new`;
	const query = filter ? `/${filter}${search.invalid ? ' (as text)' : ''}` : '';
	const extra = [status, query, matchPosition(view, tail.match), wrap ? 'wrap' : ''].filter(Boolean).join('  ');
	return (
		<Box flexDirection='column' height={height} overflow='hidden'>
			<Title text={titleFor(view.selectedSession)} focused={focused} extra={extra} extraColor={tail.follow ? tone.ok : tone.warn} />
			{shown.length === 0 ? <Text color={tone.muted}>  {filter ? 'no line matches' : 'no output yet'}</Text> : null}
			{shown.map(s => (
				<Text key={s.key} wrap='truncate-end' color={s.marker ? tone.muted : undefined} bold={s.current}>
					{/* Hits are inverse, the terminal's own colours swapped, so they read on dark and light, and «marked» when colours are off; the jumped-to line also has its ›. */}
					{s.current ? glyph.selected : ' '}
					{s.time ? <Text color={tone.muted}>{s.time}</Text> : null}
					{s.pieces.map((p, i) => (p.hit ? hit(p.text, i) : p.text))}
				</Text>
			))}
		</Box>
	);
}
