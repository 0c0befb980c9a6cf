import type {Key} from 'ink';
import type {LineEdit} from './state/line-edit.js';
import type {Mode, Pane} from './state/ui-state.js';

export type CommandId =
	| 'app.help' | 'app.quit' | 'app.interrupt'
	| 'pane.next' | 'pane.prev' | 'pane.servers' | 'pane.sessions' | 'pane.tail' | 'pane.prompt'
	| 'nav.down' | 'nav.up' | 'nav.top' | 'nav.bottom' | 'nav.pageUp' | 'nav.pageDown'
	| 'view.enter' | 'view.back' | 'view.filter' | 'view.zoom' | 'view.freeze' | 'view.log' | 'log.export'
	| 'tail.follow' | 'tail.wrap' | 'tail.timestamps' | 'tail.clear' | 'table.sort' | 'table.figures' | 'tail.nextMatch' | 'tail.prevMatch'
	| 'session.kill' | 'session.forceKill' | 'server.restart' | 'prompt.cancelRun'
	| 'agent.older' | 'agent.newer';

export type Action =
	| LineEdit
	| {type: CommandId}
	| {type: 'confirm.yes'}
	| {type: 'confirm.no'}
	| {type: 'help.close'}
	| {type: 'help.scroll'; delta: number}
	| {type: 'filter.accept'}
	| {type: 'filter.cancel'}
	| {type: 'filter.set'; text: string}
	| {type: 'prompt.submit'}
	| {type: 'prompt.leave'}
	| {type: 'prompt.history'; delta: -1 | 1}
	| {type: 'status'; text: string; tone: 'info' | 'warn' | 'error'; ms?: number}
	| {type: 'status.clear'; at: number};

export type Section = 'General' | 'Move' | 'View' | 'Act';

export type Binding = {
	id: CommandId;
	/**
	Key specs: a literal character, or a name such as `down`, `enter`, `shift+tab`, `ctrl+c`.
	*/
	keys: readonly string[];
	description: string;
	section: Section;
	/**
	Only when one of these panes has focus; all panes when absent.
	*/
	panes?: readonly Pane[];
	/**
	Short footer label; no footer hint when absent.
	*/
	hint?: string;
	/**
	The footer's key text, when its first key alone would undersell it (`j/k`).
	*/
	hintKeys?: string;
	/**
	Which hints a narrow footer keeps: lower first; 0 (help, quit) always.
	*/
	hintRank?: number;
	/**
	Footer hint only for these panes.
	*/
	hintPanes?: readonly Pane[];
	/**
	Refused in read-only mode.
	*/
	destructive?: boolean;
};

const lists: readonly Pane[] = ['servers', 'sessions', 'tail'];
const scrollable: readonly Pane[] = [...lists, 'prompt'];

/**
The one keymap: dispatch, footer and help are all read from it.
*/
export const bindings: readonly Binding[] = [
	{
		id: 'app.help', keys: ['?'], description: 'help (any key closes)', section: 'General', hint: 'help', hintRank: 0,
	},
	{
		id: 'app.quit', keys: ['q'], description: 'quit (asks if sessions open)', section: 'General', hint: 'quit', hintRank: 0,
	},
	{
		id: 'app.interrupt', keys: ['ctrl+c'], description: 'twice in 2 s: quit (a run: cancels it)', section: 'General',
	},
	{
		id: 'pane.next', keys: ['tab'], description: 'next pane', section: 'General',
	},
	{
		id: 'pane.prev', keys: ['shift+tab'], description: 'previous pane', section: 'General',
	},
	{
		id: 'pane.servers', keys: ['1'], description: 'servers pane', section: 'General',
	},
	{
		id: 'pane.sessions', keys: ['2'], description: 'sessions pane', section: 'General',
	},
	{
		id: 'pane.tail', keys: ['3'], description: 'stderr tail pane', section: 'General',
	},
	{
		id: 'pane.prompt', keys: ['p', ':', '4'], description: 'type a prompt for the agent', section: 'General', hint: 'prompt', hintRank: 8, hintPanes: lists,
	},
	{
		id: 'nav.down', keys: ['j', 'down'], description: 'move down (prompt pane: scroll)', section: 'Move', hint: 'move', hintRank: 7, hintKeys: 'j/k', hintPanes: scrollable,
	},
	{
		id: 'nav.up', keys: ['k', 'up'], description: 'move up (tail: pauses)', section: 'Move',
	},
	{
		id: 'nav.top', keys: ['g', 'home'], description: 'top', section: 'Move',
	},
	{
		id: 'nav.bottom', keys: ['G', 'end'], description: 'bottom (tail: follows again)', section: 'Move',
	},
	{
		id: 'nav.pageUp', keys: ['pageup'], description: 'page up', section: 'Move',
	},
	{
		id: 'nav.pageDown', keys: ['pagedown'], description: 'page down (also while typing a prompt)', section: 'Move',
	},
	{
		id: 'agent.older', keys: ['['], description: 'prompt pane: older answer', section: 'Move', panes: ['prompt'], hint: 'answers', hintRank: 3, hintKeys: '[/]', hintPanes: ['prompt'],
	},
	{
		id: 'agent.newer', keys: [']'], description: 'prompt pane: newer answer', section: 'Move', panes: ['prompt'],
	},
	{
		id: 'view.enter', keys: ['enter'], description: 'open: server, session, prompt', section: 'View', hint: 'open', hintRank: 2, hintPanes: ['servers', 'sessions'],
	},
	{
		id: 'view.back', keys: ['esc'], description: 'back: unzoom, unfilter, undrill', section: 'View', hint: 'back', hintRank: 2, hintPanes: ['tail', 'prompt'],
	},
	{
		id: 'view.filter', keys: ['/'], description: 'filter (! inverts, ~ regex)', section: 'View', hint: 'filter', hintRank: 3, hintPanes: lists,
	},
	{
		id: 'view.log', keys: ['L'], description: 'a session\'s whole log, full screen', section: 'View', panes: ['sessions', 'tail'],
	},
	{
		id: 'log.export', keys: ['e'], description: 'export the session\'s log to a file', section: 'Act', panes: ['sessions', 'tail'], hint: 'export', hintRank: 4, hintPanes: ['tail'],
	},
	{
		id: 'view.zoom', keys: ['z'], description: 'zoom the focused pane', section: 'View',
	},
	{
		id: 'view.freeze', keys: [' '], description: 'freeze the screen (again: thaw)', section: 'View', hint: 'freeze', hintRank: 6,
	},
	{
		id: 'tail.follow', keys: ['f'], description: 'follow the tail on/off', section: 'View', hint: 'follow', hintRank: 3, hintPanes: ['tail'],
	},
	{
		id: 'tail.wrap', keys: ['w'], description: 'wrap long lines (tail; agent answer)', section: 'View', hint: 'wrap', hintRank: 5, hintPanes: ['tail', 'prompt'],
	},
	{
		id: 'tail.timestamps', keys: ['t'], description: 'timestamps in the tail', section: 'View', hint: 'time', hintRank: 6, hintPanes: ['tail'],
	},
	{
		id: 'tail.nextMatch', keys: ['n'], description: 'tail: next line the filter matched', section: 'View', panes: ['tail'], hint: 'match', hintKeys: 'n/N', hintRank: 3, hintPanes: ['tail'],
	},
	{
		id: 'tail.prevMatch', keys: ['N'], description: 'tail: previous match', section: 'View', panes: ['tail'],
	},
	{
		id: 'tail.clear', keys: ['c'], description: 'clear tail (leaves a marker)', section: 'View', hint: 'clear', hintRank: 6, hintPanes: ['tail'],
	},
	{
		id: 'table.sort', keys: ['s'], description: 'cycle the sort column', section: 'View', hint: 'sort', hintRank: 4, hintPanes: ['sessions'],
	},
	{
		id: 'table.figures', keys: ['u'], description: 'CPU%/MEM or P50/P95 (80 cols)', section: 'View', hint: 'cpu/mem', hintRank: 5, hintPanes: ['sessions'],
	},
	{
		id: 'session.kill', keys: ['x'], description: 'kill session (confirmed)', section: 'Act', panes: lists, hint: 'kill', hintRank: 1, hintPanes: ['sessions', 'tail'], destructive: true,
	},
	{
		id: 'session.forceKill', keys: ['X'], description: 'SIGKILL session (confirmed)', section: 'Act', panes: lists, destructive: true,
	},
	{
		id: 'server.restart', keys: ['r'], description: 'restart server (confirmed)', section: 'Act', panes: lists, hint: 'restart', hintRank: 5, hintPanes: ['servers', 'sessions'], destructive: true,
	},
	{
		id: 'prompt.cancelRun', keys: ['x'], description: 'prompt pane: cancel run (or Esc, C-c)', section: 'Act', panes: ['prompt'],
		hint: 'cancel run', hintRank: 1, hintKeys: 'x/C-c', hintPanes: ['prompt'],
	},
];

const namedKeys: Record<string, (key: Key) => boolean> = {
	up: key => key.upArrow,
	down: key => key.downArrow,
	pageup: key => key.pageUp,
	pagedown: key => key.pageDown,
	home: key => key.home,
	end: key => key.end,
	enter: key => key.return,
	esc: key => key.escape,
	tab: key => key.tab && !key.shift,
	'shift+tab': key => key.tab && key.shift,
	'ctrl+c': key => key.ctrl && !key.meta,
};

export function matchesKey(spec: string, input: string, key: Key): boolean {
	if (spec === 'ctrl+c') {
		return key.ctrl && input === 'c';
	}

	const named = namedKeys[spec];
	return named ? named(key) : !key.ctrl && !key.meta && input === spec;
}

const keyLabels: Record<string, string> = {
	up: '↑', down: '↓', pageup: 'PgUp', pagedown: 'PgDn', home: 'Home', end: 'End',
	enter: 'Enter', esc: 'Esc', ' ': 'Space', tab: 'Tab', 'shift+tab': 'S-Tab', 'ctrl+c': 'C-c',
};

export const keyLabel = (spec: string): string => keyLabels[spec] ?? spec;

export type KeyContext = {
	focus: Pane;
	readOnly: boolean;
};

const isCtrlC = (input: string, key: Key): boolean => key.ctrl && input === 'c';

/**
Editing keys shared by the filter and the prompt; other chords type nothing.
*/
function editKeys(input: string, key: Key): Action[] {
	if (input === 'u' && key.ctrl) {
		return [{type: 'text.clear'}];
	}

	if (key.home || (input === 'a' && key.ctrl)) {
		return [{type: 'text.move', to: 'home'}];
	}

	if (key.end || (input === 'e' && key.ctrl)) {
		return [{type: 'text.move', to: 'end'}];
	}

	if (key.leftArrow) {
		return [{type: 'text.move', to: 'left'}];
	}

	if (key.rightArrow) {
		return [{type: 'text.move', to: 'right'}];
	}

	if (key.backspace) {
		return [{type: 'text.backspace'}];
	}

	if (key.delete) {
		return [{type: 'text.delete'}];
	}

	return input === '' || key.ctrl || key.meta || key.tab || key.upArrow || key.downArrow ? [] : [{type: 'text.insert', text: input}];
}

/**
 One key event to actions, by mode. Pure: the caller owns state and loops
 over chunked input (see `handleKeys`).
 */
export function keyToActions(mode: Mode, input: string, key: Key, context: KeyContext): Action[] {
	if (isCtrlC(input, key)) {
		return [{type: 'app.interrupt'}];
	}

	switch (mode) {
		case 'confirm': {
			// Anything but a plain `y` is a no: the safe answer is the default.
			return [{type: input === 'y' && !key.ctrl ? 'confirm.yes' : 'confirm.no'}];
		}

		case 'help': {
			if (input === 'j' || key.downArrow) {
				return [{type: 'help.scroll', delta: 1}];
			}

			return input === 'k' || key.upArrow ? [{type: 'help.scroll', delta: -1}] : [{type: 'help.close'}];
		}

		case 'filter': {
			if (key.escape) {
				return [{type: 'filter.cancel'}];
			}

			return key.return ? [{type: 'filter.accept'}] : editKeys(input, key);
		}

		case 'prompt': {
			if (key.escape) {
				return [{type: 'prompt.leave'}];
			}

			if (key.return) {
				return [{type: 'prompt.submit'}];
			}

			if (key.upArrow) {
				return [{type: 'prompt.history', delta: -1}];
			}

			if (key.downArrow) {
				return [{type: 'prompt.history', delta: 1}];
			}

			if (key.tab) {
				return [{type: key.shift ? 'pane.prev' : 'pane.next'}];
			}

			// Paging reads the answer without leaving the input; j/k would be text.
			if (key.pageUp) {
				return [{type: 'nav.pageUp'}];
			}

			return key.pageDown ? [{type: 'nav.pageDown'}] : editKeys(input, key);
		}

		case 'normal': {
			break;
		}
	}

	const binding = bindings.find(b =>
		(!b.panes || b.panes.includes(context.focus)) && b.keys.some(spec => matchesKey(spec, input, key)));
	if (!binding) {
		return [];
	}

	return binding.destructive && context.readOnly ? [{type: 'status', text: 'read-only: x, X and r are disabled', tone: 'warn'}] : [{type: binding.id}];
}

export type Hint = {
	keys: string;
	label: string;
	/**
	See `Binding.hintRank`.
	*/
	rank: number;
};

/**
Footer hints for the focused pane in normal mode: help first and quit last; the footer keeps the best ranked that fit.
*/
export function footerHints(focus: Pane, readOnly: boolean): Hint[] {
	const last = (b: Binding) => (b.id === 'app.help' ? -1 : (b.id === 'app.quit' ? 1 : 0));
	const hints = bindings
		.filter(b => b.hint && (!b.hintPanes || b.hintPanes.includes(focus)) && !(readOnly && b.destructive))
		.toSorted((a, b) => last(a) - last(b))
		.map(b => ({keys: b.hintKeys ?? keyLabel(b.keys[0]), label: b.hint!, rank: b.hintRank ?? 5}));
	return readOnly ? [{keys: '', label: 'read-only', rank: 0}, ...hints] : hints;
}

export type HelpLine = {
	section: Section;
	keys: string;
	text: string;
	/**
	A title line between the groups, with no keys.
	*/
	heading?: boolean;
};

const paneTitles: Record<Pane, string> = {
	servers: 'Servers pane', sessions: 'Sessions pane', tail: 'Stderr tail', prompt: 'Prompt pane',
};

/**
Keys meant for this pane: bound only there, or hinted there.
*/
const forPane = (b: Binding, focus: Pane): boolean => b.panes?.includes(focus) === true || b.hintPanes?.includes(focus) === true;

/**
 Help lines; read-only bindings are marked rather than hidden. With a focused
 pane, its own keys come first under its name, then the rest.
 */
export function helpLines(readOnly: boolean, focus?: Pane): HelpLine[] {
	const line = (b: Binding): HelpLine => ({
		section: b.section,
		keys: b.keys.map(keyLabel).join(' '),
		text: readOnly && b.destructive ? `${b.description} [off]` : b.description,
	});
	if (!focus) {
		return bindings.map(line);
	}

	const heading = (text: string): HelpLine => ({
		section: 'General', keys: '', text, heading: true,
	});
	return [
		heading(paneTitles[focus]),
		...bindings.filter(b => forPane(b, focus)).map(line),
		heading('Everywhere'),
		...bindings.filter(b => !forPane(b, focus)).map(line),
	];
}
