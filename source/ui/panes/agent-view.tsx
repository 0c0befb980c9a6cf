import {Box, Text} from 'ink';
import {toPlainLine} from '../../lib/plain-text.js';
import {capText, progressText, runBadge} from '../agent-status.js';
import type {PromptSnapshot} from '../prompt-port.js';
import type {AgentItem} from '../state/agent-items.js';
import type {DocLine} from '../state/doc-lines.js';
import {glyph, tone} from '../theme.js';
import {DocRow} from './markdown-lines.js';

export type AgentModel = {
	item: AgentItem | undefined;
	/**
	Position among all runs, for `answer 2/3`.
	*/
	index: number;
	count: number;
	/**
	Wrapped to the pane's width already.
	*/
	lines: readonly DocLine[];
	top: number;
	wrap: boolean;
};

type Props = {
	model: AgentModel;
	snapshot: PromptSnapshot;
	focused: boolean;
	/**
	Lines including the title.
	*/
	height: number;
	width: number;
};

function details(model: AgentModel, snapshot: PromptSnapshot, rows: number): string[] {
	const {item, lines, top} = model;
	const running = item?.state === 'running';
	return [
		running ? progressText(snapshot.progress) : '',
		running ? capText(snapshot.maxTotalMs) : '',
		model.count > 1 ? `${running ? 'run' : 'answer'} ${model.index + 1}/${model.count}` : '',
		lines.length > rows ? `${top + 1}-${Math.min(lines.length, top + rows)}/${lines.length}` : '',
		model.wrap ? '' : 'nowrap',
	].filter(Boolean);
}

/**
The agent's run: a status title, then its log while it runs and its answer or error after.
*/
export function AgentView({model, snapshot, focused, height, width}: Props) {
	const rows = Math.max(0, height - 1);
	const {item} = model;
	const badge = item ? runBadge(item.state, item.elapsedMs) : undefined;
	const message = item?.state === 'running' ? snapshot.progress?.message : undefined;
	const title = toPlainLine(['Agent', item?.task, message].filter(Boolean).join(' · '));
	const extra = details(model, snapshot, rows).join(' · ');
	return (
		<Box flexDirection='column' height={height} width={width} overflow='hidden'>
			<Box height={1} width={width}>
				{/* The task keeps some room on narrow screens; the details give way first. */}
				<Box flexShrink={1} flexGrow={1} minWidth={Math.min(title.length + 2, Math.floor(width * 0.45))} overflow='hidden'>
					<Text wrap='truncate-end' bold color={focused ? tone.accent : undefined}>{focused ? `${glyph.selected} ` : '  '}{title}</Text>
				</Box>
				<Box flexShrink={1} overflow='hidden'>
					<Text wrap='truncate-end'>
						{badge ? <Text color={badge.color}> {badge.glyph} {badge.text}</Text> : null}
						{extra ? <Text color={tone.muted}> · {extra}</Text> : null}
					</Text>
				</Box>
			</Box>
			{model.lines.slice(model.top, model.top + rows).map((line, i) => <DocRow key={model.top + i} line={line} />)}
		</Box>
	);
}
