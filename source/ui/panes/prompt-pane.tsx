import {Box, Text} from 'ink';
import type {PromptSnapshot} from '../prompt-port.js';
import {tone} from '../theme.js';
import {PromptLine} from './prompt-line.js';

interface Props {
	snapshot: PromptSnapshot;
	available: boolean;
	focused: boolean;
	typing: boolean;
	draft: string;
	cursor: number;
	height: number;
}

/** The prompt with room below it: the answer or error, else the latest log lines. */
export function PromptPane({height, ...line}: Props) {
	const {snapshot} = line;
	const body = snapshot.answer ?? snapshot.error;
	const lines = body === undefined ? snapshot.logs : body.split('\n');
	const room = Math.max(0, height - 1);
	const shown = body === undefined ? lines.slice(-room) : lines.slice(0, room);
	return (
		<Box flexDirection="column" height={height} overflow="hidden">
			<PromptLine {...line} />
			{shown.map((text, i) => (
				<Text key={i} wrap="truncate-end" color={body === undefined ? tone.muted : undefined}>  {text}</Text>
			))}
		</Box>
	);
}
