import {Box, Text} from 'ink';
import {memo, useMemo} from 'react';
import {formatAge, formatBytes, formatCpu, formatMs, shortId} from '../../lib/format.js';
import type {LatencyStats, SessionRow, Usage} from '../../store/types.js';
import {cell, fitColumns, type Column, type Figures} from '../columns.js';
import {useWindowStart} from '../hooks/use-window-start.js';
import type {SortKey} from '../state/ui-state.js';
import {glyph, sessionBadge, tone} from '../theme.js';
import {Title} from './title.js';

type Props = {
	rows: readonly SessionRow[];
	selected: number;
	focused: boolean;
	/**
	Lines including title and column header.
	*/
	height: number;
	width: number;
	now: number;
	latency: Readonly<Record<string, LatencyStats>>;
	usage: ReadonlyMap<string, Usage>;
	/**
	The pair a narrow table keeps (`u`); a wide one shows both.
	*/
	figures: Figures;
	sort: SortKey;
	filter: string;
	drillServer: string | undefined;
};

type Badge = ReturnType<typeof sessionBadge>;

function cellText(col: Column, row: SessionRow, badge: Badge, age: string, stats: LatencyStats | undefined, usage: Usage | undefined): string {
	switch (col.id) {
		case 'id': {return shortId(row.id);}

		case 'state': {
			return col.width === 1 ? badge.glyph : `${badge.glyph} ${badge.label}`;
		}

		case 'server': {return row.server;}

		case 'client': {return row.era === 'modern' ? `m:${(row.identity ?? '-').slice(0, 6)} ${row.clientName ?? ''}` : (row.tag ? `[${row.tag}] ${row.clientName ?? ''}` : row.clientName ?? '-');}

		case 'age': {return age;}

		case 'reqs': {return String(row.requests);}

		case 'p50': {return formatMs(stats?.p50);}

		case 'p95': {return formatMs(stats?.p95);}

		case 'cpu': {return formatCpu(usage?.cpu);}

		case 'mem': {return usage ? formatBytes(usage.rss) : '-';}

		case 'pid': {return row.pid === undefined ? '-' : String(row.pid);}
	}
}

type RowProps = {
	row: SessionRow;
	columns: readonly Column[];
	isSelected: boolean;
	badge: Badge;
	age: string;
	stats: LatencyStats | undefined;
	usage: Usage | undefined;
};

const Row = memo(function Row({row, columns, isSelected, badge, age, stats, usage}: RowProps) {
	return (
		<Text wrap='truncate-end' inverse={isSelected}>
			{isSelected ? `${glyph.selected} ` : '  '}
			{columns.map((col, i) => (
				<Text key={col.id} color={col.id === 'state' ? badge.color : undefined}>
					{(i > 0 ? ' ' : '') + cell(cellText(col, row, badge, age, stats, usage), col.width, col.align)}
				</Text>
			))}
		</Text>
	);
// Time passes in every snapshot, but a row redraws only when what it shows moved: each redrawn row is
// laid out by Ink again, and a table of unchanged rows is the common frame under a chatty tail.
}, (a, b) => a.row === b.row && a.columns === b.columns && a.isSelected === b.isSelected && a.age === b.age && a.stats === b.stats && a.usage === b.usage
	&& a.badge.glyph === b.badge.glyph && a.badge.label === b.badge.label && a.badge.color === b.badge.color);

/**
Windowed: only the visible rows are rendered, keyed by session id.
*/
export function SessionsTable({rows, selected, focused, height, width, now, latency, usage, figures, sort, filter, drillServer}: Props) {
	const columns = useMemo(() => fitColumns(width, figures), [width, figures]);
	const showsUsage = columns.some(c => c.id === 'cpu' || c.id === 'mem');
	const showsLatency = columns.some(c => c.id === 'p50' || c.id === 'p95');
	const visible = Math.max(0, height - 2);
	const start = useWindowStart(selected, rows.length, visible);
	const open = rows.filter(r => r.state !== 'closed' && r.state !== 'crashed').length;
	const details = [
		drillServer === undefined ? '' : `server ${drillServer}`,
		filter === '' ? '' : `/${filter}`,
		sort === 'started' ? '' : `sort ${sort}`,
		rows.length > visible ? `${start + 1}-${Math.min(rows.length, start + visible)}/${rows.length}` : '',
	].filter(Boolean).join('  ');
	const header = columns.map((c, i) => (i > 0 ? ' ' : '') + cell(c.title, c.width, c.align)).join('');
	return (
		<Box flexDirection='column' height={height} overflow='hidden'>
			<Title text={`Sessions ${open} open`} focused={focused} extra={details} extraColor={tone.accent} />
			<Text wrap='truncate-end' color={tone.muted}>{'  '}{header}</Text>
			{rows.length === 0 ? <Text color={tone.muted}>  {filter || drillServer ? 'no session matches' : 'no sessions yet'}</Text> : null}
			{rows.slice(start, start + visible).map((row, i) => (
				<Row
					key={row.id}
					row={row}
					columns={columns}
					isSelected={start + i === selected}
					badge={sessionBadge(row, now)}
					age={formatAge((row.endedAt ?? now) - row.startedAt)}
					stats={showsLatency ? latency[row.id] : undefined}
					usage={showsUsage && row.endedAt === undefined ? usage.get(row.id) : undefined}
				/>
			))}
		</Box>
	);
}
