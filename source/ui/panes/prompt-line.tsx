import {Text} from 'ink';
import {formatDuration} from '../../lib/format.js';
import type {PromptSnapshot} from '../prompt-port.js';
import {glyph, tone} from '../theme.js';
import {TextField} from './text-field.js';

interface Props {
	snapshot: PromptSnapshot;
	available: boolean;
	focused: boolean;
	typing: boolean;
	draft: string;
	cursor: number;
}

export function promptSummary(s: PromptSnapshot, available: boolean, draft: string): {text: string; color?: string} {
	if (!available) return {text: 'no agent server configured', color: tone.muted};
	switch (s.state) {
		case 'running': {
			const p = s.progress;
			const progress = p ? ` ${p.progress}${p.total === undefined ? '' : `/${p.total}`}${p.message ? ` ${p.message}` : ''}` : '';
			const elapsed = s.elapsedMs === undefined ? '' : ` ${formatDuration(s.elapsedMs)}`;
			return {text: `${glyph.starting} running ${s.task ?? ''}${elapsed}${progress}`, color: tone.starting};
		}

		case 'done': return {text: `${glyph.ok} ${(s.answer ?? '').split('\n')[0]}`, color: tone.ok};
		case 'error': return {text: `${glyph.crashed} ${s.error ?? 'failed'}`, color: tone.error};
		case 'cancelled': return {text: `${glyph.closed} cancelled`, color: tone.muted};
		case 'idle': return draft ? {text: `draft: ${draft}`, color: tone.muted} : {text: 'p to ask the agent', color: tone.muted};
	}
}

/** The one-line prompt: an input while typing, the agent's last status otherwise. */
export function PromptLine({snapshot, available, focused, typing, draft, cursor}: Props) {
	const mark = <Text bold color={focused ? tone.accent : undefined}>{focused ? glyph.selected : ' '}{glyph.prompt} </Text>;
	if (typing) {
		return (
			<Text wrap="truncate-end">
				{mark}
				<TextField value={draft} cursor={cursor} placeholder="ask the agent…" />
			</Text>
		);
	}

	const summary = promptSummary(snapshot, available, draft);
	return (
		<Text wrap="truncate-end">
			{mark}
			<Text color={summary.color}>{summary.text}</Text>
		</Text>
	);
}
