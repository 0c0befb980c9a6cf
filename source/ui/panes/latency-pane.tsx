import {Box, Text} from 'ink';
import {formatMs, formatRate} from '../../lib/format.js';
import {sparkline} from '../../lib/sparkline.js';
import type {LatencySnapshot} from '../../store/types.js';
import {tone} from '../theme.js';
import {Title} from './title.js';

type Props = {
	latency: LatencySnapshot;
	/**
	Lines including the title.
	*/
	height: number;
	width: number;
};

/**
Overall then per-server latency, each server with a request-rate sparkline.
*/
export function LatencyPane({latency, height, width}: Props) {
	const {overall} = latency;
	const lines: Array<{key: string; text: string; color?: string}> = [
		{key: 'all', text: `all p50 ${formatMs(overall.p50)} p95 ${formatMs(overall.p95)} p99 ${formatMs(overall.p99)}`},
		{
			key: 'all-rate',
			text: `    ${formatRate(overall.rps)} req/s ${formatRate(overall.errorsPerSec)} err/s max ${formatMs(overall.max)}`,
			color: overall.errorsPerSec > 0 ? tone.error : undefined,
		},
	];
	for (const [name, s] of Object.entries(latency.servers)) {
		const rate = ` ${formatRate(s.rps)}/s`;
		lines.push(
			{key: name, text: `${name} p50 ${formatMs(s.p50)} p95 ${formatMs(s.p95)}`},
			{key: `${name}-spark`, text: ` ${sparkline(s.series, Math.max(1, width - 2 - rate.length))}${rate}`, color: tone.accent},
		);
	}

	return (
		<Box flexDirection='column' height={height} overflow='hidden'>
			<Title text={`Latency (${latency.windowSeconds}s)`} focused={false} />
			{lines.slice(0, Math.max(0, height - 1)).map(l => (
				<Text key={l.key} wrap='truncate-end' color={l.color}>{' '}{l.text}</Text>
			))}
		</Box>
	);
}
