import type {KeyContext} from './key-context.js';
import {tailStart} from './tail-window.js';
import type {UiState} from './ui-state.js';
import type {View} from './view.js';

export type Jumped = {
	ui: UiState;
	/**
	Said in the footer: nothing to jump to, or the search went round.
	*/
	status?: string;
};

/**
 `n`/`N` in the tail: the next or previous line the filter kept, pausing the
 tail there, as `n` does in less and k9s. The first press starts from the
 window on screen; past the last match it goes round to the first.
 */
export function jumpMatch(ui: UiState, view: View, context: KeyContext, delta: 1 | -1): Jumped {
	if (ui.filters.tail === '') {
		return {ui, status: 'nothing to search: / types a search first'};
	}

	const lines = view.tailLines.filter(l => !l.marker);
	if (lines.length === 0) {
		return {ui, status: 'no line matches'};
	}

	const rows = context.pages.tail;
	const start = tailStart(view.tailLines, ui.tail, rows);
	const current = ui.tail.match === undefined ? -1 : lines.findIndex(l => l.seq === ui.tail.match);
	let index: number;
	let wrapped = false;
	if (current === -1) {
		const visible = view.tailLines.slice(start, start + rows).filter(l => !l.marker);
		const from = delta === 1 ? visible[0] : visible.at(-1);
		index = from ? lines.indexOf(from) : (delta === 1 ? 0 : lines.length - 1);
	} else {
		index = current + delta;
		wrapped = index < 0 || index >= lines.length;
		index = (index + lines.length) % lines.length;
	}

	const target = lines[index];
	const at = view.tailLines.indexOf(target);
	// A match already on screen does not scroll it; one off screen comes to the middle, with context above.
	const inView = !ui.tail.follow && at >= start && at < start + rows;
	const anchor = inView ? ui.tail.anchor : view.tailLines[Math.max(0, at - Math.floor(rows / 2))].seq;
	const pausedTotal = ui.tail.follow ? view.tail.total : ui.tail.pausedTotal;
	const status = wrapped ? (delta === 1 ? 'search went round to the first match' : 'search went round to the last match') : undefined;
	return {
		ui: {
			...ui, tail: {
				follow: false, anchor, pausedTotal, match: target.seq,
			},
		}, status,
	};
}

/**
`match 3/17` for the tail's title, or nothing before the first jump.
*/
export function matchPosition(view: View, match: number | undefined): string {
	if (match === undefined) {
		return '';
	}

	const lines = view.tailLines.filter(l => !l.marker);
	const i = lines.findIndex(l => l.seq === match);
	return i === -1 ? '' : `match ${i + 1}/${lines.length}`;
}
