import {Box, Text} from 'ink';
import {memo} from 'react';
import {formatMs, formatRate} from '../../lib/format.js';
import type {DashboardSnapshot} from '../../store/types.js';
import {fitRanked} from '../fit-ranked.js';
import {tone} from '../theme.js';

export type DashboardInfo = {
	version: string;
	url: string;
	readOnly: boolean;
};

type Props = {
	info: DashboardInfo;
	snapshot: DashboardSnapshot;
	follow: boolean;
	/**
	While frozen: how many updates wait to be drawn.
	*/
	frozen?: number;
	width: number;
};

/**
 One line: who and where, totals, latency, and FOLLOW/PAUSED kept visible at
 the right. When it is too narrow, whole figures go, the least useful first
 (server count, request rate, latency, address), never half a word.
 */
function HeaderLine({info, snapshot, follow, frozen, width}: Props) {
	const {overall} = snapshot.latency;
	const title = `mcpd ${info.version}`;
	const freeze = frozen === undefined ? '' : `FROZEN +${frozen}`;
	const flags = [info.readOnly ? 'READ-ONLY' : '', freeze, follow ? 'FOLLOW' : 'PAUSED'].filter(Boolean);
	const flagsWidth = flags.reduce((n, f) => n + f.length + 1, 0);
	const figures = [
		{text: info.url.replace(/^https?:\/\//, ''), rank: 4},
		{text: `${snapshot.servers.length} srv`, rank: 6},
		{text: `${snapshot.liveSessions} live`, rank: 1},
		{text: `p50 ${formatMs(overall.p50)} p95 ${formatMs(overall.p95)}`, rank: 3},
		{text: `${formatRate(overall.rps)} req/s`, rank: 5},
	].map(f => ({...f, width: f.text.length}));
	const rest = fitRanked(figures, width - flagsWidth - title.length - 2, 2).map(f => f.text).join('  ');
	return (
		<Box height={1} width='100%'>
			<Box flexGrow={1} flexShrink={1} overflow='hidden'>
				<Text wrap='truncate-end'><Text bold color={tone.accent}>{title}</Text>{'  '}{rest}</Text>
			</Box>
			<Box flexShrink={0}>
				{info.readOnly ? <Text color={tone.warn}> READ-ONLY</Text> : null}
				{freeze ? <Text bold color={tone.warn}> {freeze}</Text> : null}
				<Text bold color={follow ? tone.ok : tone.warn}> {follow ? 'FOLLOW' : 'PAUSED'}</Text>
			</Box>
		</Box>
	);
}

/**
Memoized on the figures it shows: most snapshots change none of them, and Ink lays out again whatever re-renders.
*/
export const Header = memo(HeaderLine, (a, b) => a.info === b.info && a.follow === b.follow && a.frozen === b.frozen && a.width === b.width
	&& a.snapshot.latency.overall === b.snapshot.latency.overall && a.snapshot.servers.length === b.snapshot.servers.length && a.snapshot.liveSessions === b.snapshot.liveSessions);
