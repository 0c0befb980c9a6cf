import {Box, Text} from 'ink';
import {formatDuration} from '../../lib/format.js';
import {toPlainLine} from '../../lib/plain-text.js';
import {capText, lastLog, progressText} from '../agent-status.js';
import type {PromptSnapshot} from '../prompt-port.js';
import {glyph, pulseAt, tone} from '../theme.js';
import {TextField} from './text-field.js';

export type PromptLineProps = {
	snapshot: PromptSnapshot;
	available: boolean;
	focused: boolean;
	typing: boolean;
	draft: string;
	cursor: number;
};

export type Summary = {
	text: string;
	color?: string;
	/**
	Kept whole at the right edge, e.g. the run's cap.
	*/
	right?: string;
};

const firstLine = (text: string | undefined): string => text?.split('\n').find(line => line.trim() !== '')?.trim() ?? '';

export function promptSummary(s: PromptSnapshot, available: boolean, draft: string, focused = false): Summary {
	if (!available) {
		return {text: 'no agent server configured', color: tone.muted};
	}

	const took = s.elapsedMs === undefined ? '' : ` (${formatDuration(s.elapsedMs)})`;
	// Off the prompt pane, say how to see the rest.
	const view = focused ? '' : ' · 4 view';
	switch (s.state) {
		case 'running': {
			const progress = [progressText(s.progress), s.progress?.message?.trim()].filter(Boolean).join(' ');
			const log = lastLog(s);
			const parts = [`running ${formatDuration(s.elapsedMs ?? 0)}`, progress, log === s.progress?.message?.trim() ? '' : log].filter(Boolean);
			return {text: `${pulseAt(s.elapsedMs)} ${parts.join(' · ')}`, color: tone.starting, right: capText(s.maxTotalMs)};
		}

		case 'done': {return {text: `${glyph.done} answer${took}${view} · ${s.task ?? firstLine(s.answer)}`, color: tone.ok};}

		case 'error': {return {text: `${glyph.crashed} failed${took}: ${firstLine(s.error) || 'no message'}${view}`, color: tone.error};}

		case 'cancelled': {return {text: `${glyph.cancelled} cancelled${took}${view}`, color: tone.muted};}

		case 'idle': {
			return draft ? {text: `draft: ${draft}`, color: tone.muted} : {text: focused ? 'Enter to type a task for the agent' : 'p to ask the agent', color: tone.muted};
		}
	}
}

/**
The one-line prompt: an input while typing, the agent's status otherwise.
*/
export function PromptLine({snapshot, available, focused, typing, draft, cursor}: PromptLineProps) {
	const mark = <Text bold color={focused ? tone.accent : undefined}>{focused ? glyph.selected : ' '}{glyph.prompt} </Text>;
	if (typing) {
		return (
			<Text wrap='truncate-end'>
				{mark}
				<TextField value={draft} cursor={cursor} placeholder='ask the agent…' />
			</Text>
		);
	}

	const summary = promptSummary(snapshot, available, draft, focused);
	return (
		<Box height={1}>
			<Box flexGrow={1} flexShrink={1} overflow='hidden'>
				<Text wrap='truncate-end'>
					{mark}
					{/* Logs and errors come from the agent: no escape codes onto the frame. */}
					<Text color={summary.color}>{toPlainLine(summary.text)}</Text>
				</Text>
			</Box>
			{summary.right ? <Box flexShrink={0}><Text color={tone.muted}> {summary.right}</Text></Box> : null}
		</Box>
	);
}
