import type {AgentItem} from './agent-items.js';
import {markdownDoc, plainDoc, wrapDoc, type DocLine} from './doc-lines.js';

const note = (text: string): DocLine => ({segs: [{text, style: 'muted'}]});

function logSection(item: AgentItem, heading: string): DocLine[] {
	return item.logs.length === 0 ? [] : [{segs: []}, note(heading), ...plainDoc(item.logs, 'muted', '  ')];
}

/**
The body of the agent pane for one run, before windowing.
*/
function body(item: AgentItem | undefined): DocLine[] {
	if (!item) {
		return [note('Type a task and press Enter: its progress, log and answer show here.'), note('↑/↓ in the input recall earlier tasks.')];
	}

	switch (item.state) {
		case 'running': {
			return item.logs.length === 0 ? [note('waiting for the agent…')] : plainDoc(item.logs);
		}

		case 'done': {
			return item.answer?.trim() ? markdownDoc(item.answer) : [note('(the agent answered with no text)')];
		}

		case 'error': {
			const lines = markdownDoc(item.error ?? 'failed', 'error');
			// DescribeFailure already quotes the child's stderr in the message; do not show it twice.
			const stderr = (item.stderr ?? []).filter(line => !(item.error ?? '').includes(line));
			if (stderr.length > 0) {
				lines.push({segs: []}, note('stderr of the agent process:'), ...plainDoc(stderr, 'error', '  '));
			}

			return [...lines, ...logSection(item, 'its log:')];
		}

		case 'cancelled': {
			return [note('Cancelled: anything the agent sends for it now is ignored.'), ...logSection(item, 'its log until then:')];
		}
	}
}

export function agentDoc(item: AgentItem | undefined, width: number, wrap: boolean): DocLine[] {
	const lines = body(item);
	return wrap ? wrapDoc(lines, width) : lines;
}
