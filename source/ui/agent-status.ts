import {formatDuration, formatMs} from '../lib/format.js';
import type {PromptSnapshot} from './prompt-port.js';
import type {AgentItem} from './state/agent-items.js';
import {glyph, pulseAt, tone} from './theme.js';

const num = (n: number): string => (Number.isInteger(n) ? String(n) : n.toFixed(1));

/**
 Progress as the agent gave it. The code-mode agent (draphonix/mcp-code-mode) sends values that go back
 and totals that change, so this is a heartbeat, never a percentage.
 */
export function progressText(p: PromptSnapshot['progress']): string {
	if (!p || !Number.isFinite(p.progress)) {
		return '';
	}

	return p.total !== undefined && Number.isFinite(p.total) && p.total > 0 ? `${num(p.progress)}/${num(p.total)}` : num(p.progress);
}

export const capText = (ms: number | undefined): string => (ms !== undefined && ms > 0 ? `max ${formatMs(ms)}` : '');

export type Badge = {
	glyph: string;
	text: string;
	color: string;
};

/**
Glyph, word and colour for a run's state: readable without colour.
*/
export function runBadge(state: AgentItem['state'], elapsedMs: number | undefined): Badge {
	const took = elapsedMs === undefined ? '' : ` ${formatDuration(elapsedMs)}`;
	switch (state) {
		case 'running': {return {glyph: pulseAt(elapsedMs), text: `running${took}`, color: tone.starting};}

		case 'done': {return {glyph: glyph.done, text: `done${took}`, color: tone.ok};}

		case 'error': {return {glyph: glyph.crashed, text: `failed${took}`, color: tone.error};}

		case 'cancelled': {return {glyph: glyph.cancelled, text: `cancelled${took}`, color: tone.muted};}
	}
}

/**
The newest log line, for the one-line status.
*/
export const lastLog = (s: PromptSnapshot): string => s.logs.findLast(line => line.trim() !== '')?.trim() ?? '';
