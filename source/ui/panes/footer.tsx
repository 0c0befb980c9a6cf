import {Text} from 'ink';
import {memo} from 'react';
import {fitRanked} from '../fit-ranked.js';
import {footerHints} from '../keymap.js';
import type {UiState} from '../state/ui-state.js';
import {tone} from '../theme.js';
import {TextField} from './text-field.js';

type Props = {
	ui: UiState;
	readOnly: boolean;
	/**
	Columns the line may use: hints that do not fit are left out whole, the least useful first.
	*/
	width: number;
	/**
	An agent run is in flight: on the prompt pane Ctrl+C cancels it first.
	*/
	agentRunning?: boolean;
};

const statusColor = {info: tone.accent, warn: tone.warn, error: tone.error} as const;

/**
The bottom line: what the current mode needs, else a status, else key hints from the keymap.
*/
function FooterLine({ui, readOnly, width, agentRunning = false}: Props) {
	if (ui.mode === 'confirm' && ui.confirm) {
		return (
			<Text wrap='truncate-end'>
				<Text bold color={tone.warn}>{ui.confirm.text}</Text>
				<Text>  y yes · any other key no</Text>
			</Text>
		);
	}

	if (ui.mode === 'filter') {
		return (
			<Text wrap='truncate-end'>
				<Text bold color={tone.accent}>/</Text>
				<TextField value={ui.filters[ui.filterTarget]} cursor={ui.filterCursor} />
				<Text color={tone.muted}>  {ui.filterTarget} · Enter keep · Esc clear · ! inverts · ~ regex</Text>
			</Text>
		);
	}

	if (ui.status) {
		return <Text wrap='truncate-end' bold color={statusColor[ui.status.tone]}>{ui.status.text}</Text>;
	}

	if (ui.mode === 'help') {
		return <Text wrap='truncate-end' color={tone.muted}>j/k scroll · any other key closes help</Text>;
	}

	if (ui.mode === 'prompt') {
		const cancel = agentRunning ? 'C-c cancel run · ' : '';
		return <Text wrap='truncate-end' color={tone.muted}>{agentRunning ? '' : 'Enter send · '}{cancel}Esc leave (draft kept) · ↑/↓ history · PgUp/PgDn scroll · Tab next pane</Text>;
	}

	const all = footerHints(ui.focus, readOnly).map(h => ({...h, width: (h.keys ? h.keys.length + 1 : 0) + h.label.length}));
	const hints = fitRanked(all, width, 2);
	return (
		<Text wrap='truncate-end'>
			{hints.map((h, i) => (
				<Text key={h.label}>
					{i > 0 ? '  ' : ''}
					{h.keys ? <Text bold>{h.keys}</Text> : null}
					<Text color={h.keys ? tone.muted : tone.warn}>{h.keys ? ` ${h.label}` : h.label}</Text>
				</Text>
			))}
		</Text>
	);
}

/**
Memoized: it depends on the UI state alone, not on the snapshots that redraw the rest.
*/
export const Footer = memo(FooterLine);
