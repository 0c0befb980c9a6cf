import {Box, Text} from 'ink';
import {formatMs, formatRate} from '../../lib/format.js';
import type {DashboardSnapshot} from '../../store/types.js';
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
};

/**
One line: who and where, totals, latency, and FOLLOW/PAUSED kept visible at the right.
*/
export function Header({info, snapshot, follow}: Props) {
	const {overall} = snapshot.latency;
	const address = info.url.replace(/^https?:\/\//, '');
	const rest = [
		address,
		`${snapshot.servers.length} srv`,
		`${snapshot.liveSessions} live`,
		`p50 ${formatMs(overall.p50)} p95 ${formatMs(overall.p95)}`,
		`${formatRate(overall.rps)} req/s`,
	].join('  ');
	return (
		<Box height={1} width='100%'>
			<Box flexGrow={1} flexShrink={1} overflow='hidden'>
				<Text wrap='truncate-end'><Text bold color={tone.accent}>mcpd {info.version}</Text>{'  '}{rest}</Text>
			</Box>
			<Box flexShrink={0}>
				{info.readOnly ? <Text color={tone.warn}> READ-ONLY</Text> : null}
				<Text bold color={follow ? tone.ok : tone.warn}> {follow ? 'FOLLOW' : 'PAUSED'}</Text>
			</Box>
		</Box>
	);
}
