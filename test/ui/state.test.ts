import assert from 'node:assert/strict';
import {test} from 'node:test';
import {createDashboardStore} from '../../source/store/store.js';
import type {KeyContext} from '../../source/ui/state/key-context.js';
import {handleKeys} from '../../source/ui/state/handle-keys.js';
import {reduce} from '../../source/ui/state/reduce.js';
import {pausedNew, tailStart} from '../../source/ui/state/tail-window.js';
import {initialUiState, type UiState} from '../../source/ui/state/ui-state.js';
import {deriveView} from '../../source/ui/state/view.js';
import {FakeClock} from '../store/fake-clock.js';
import {emptyLatency, FakeSupervisor, server} from '../store/fake-supervisor.js';
import {key} from './keys.js';

/**
A followed tail's redraws are this far apart at most (the store's `tailMs`): long enough for a second burst to show.
*/
const TAIL_FRAME_MS = 250;

function world(sessions = 5) {
	const supervisor = new FakeSupervisor();
	supervisor.serverList = [server('fs'), server('search')];
	const clock = new FakeClock();
	const store = createDashboardStore({supervisor, latency: emptyLatency, clock});
	for (let i = 0; i < sessions; i++) {
		supervisor.open({
			id: `s${i}`, server: i % 2 ? 'search' : 'fs', pid: 100 + i, startedAt: clock.now() - 65_000,
		});
	}

	clock.advance(100);
	const context = (over: Partial<KeyContext> = {}): KeyContext => ({
		snapshot: store.getSnapshot(), now: clock.now(), readOnly: false,
		pages: {servers: 5, sessions: 3, tail: 4}, promptAvailable: true, promptHistory: ['first', 'second'], ...over,
	});
	const press = (ui: UiState, input: string, flags = {}, over: Partial<KeyContext> = {}) => handleKeys(ui, input, key(flags), context(over));
	/**
	`/`, the text, Enter: a filter typed and kept.
	*/
	const filter = (ui: UiState, text: string) => press(press(ui, `/${text}`).ui, '', {return: true}).ui;
	return {
		supervisor, clock, store, context, press, filter,
	};
}

const selectedId = (ui: UiState, context: KeyContext) => deriveView(context.snapshot, ui).selectedSession?.id;

test('chunked jjj moves three rows, as three presses would', () => {
	const w = world();
	const {ui} = w.press(initialUiState, 'jjj');
	assert.equal(selectedId(ui, w.context()), 's3');
});

test('chunked xy opens the confirm and confirms it', () => {
	const w = world();
	const {ui, effects} = w.press(initialUiState, 'xy');
	assert.equal(ui.mode, 'normal');
	assert.deepEqual(effects, [{type: 'kill', id: 's0', force: false}]);
});

test('a chunk that opens the filter types the rest into it', () => {
	const w = world();
	const {ui} = w.press(initialUiState, '/s3');
	assert.equal(ui.mode, 'filter');
	assert.equal(ui.filters.sessions, 's3');
	assert.deepEqual(deriveView(w.context().snapshot, ui).sessions.map(s => s.id), ['s3']);
});

test('in a text mode a chunk is typed whole, commands and all (a paste)', () => {
	const w = world();
	const filtering = {...initialUiState, mode: 'filter' as const};
	const {ui, effects} = w.press(filtering, 'qxy');
	assert.equal(ui.filters.sessions, 'qxy');
	assert.equal(ui.mode, 'filter');
	assert.deepEqual(effects, []);
});

test('two keys in one tick both land in the line being typed', () => {
	const w = world();
	let {ui} = w.press(initialUiState, 'p');
	ui = w.press(ui, 'a').ui;
	ui = w.press(ui, 'b').ui;
	ui = w.press(ui, '', {leftArrow: true}).ui;
	ui = w.press(ui, '', {backspace: true}).ui;
	ui = w.press(ui, 'X', {shift: true}).ui;
	assert.deepEqual([ui.prompt.draft, ui.prompt.cursor], ['Xb', 1]);
	ui = w.press(ui, 'u', {ctrl: true}).ui;
	assert.equal(ui.prompt.draft, '');
	ui = w.press(ui, 'w', {ctrl: true}).ui;
	assert.equal(ui.prompt.draft, '', 'other chords type nothing');
});

test('the selection stays on its session when rows reorder or one before it goes', () => {
	const w = world();
	let {ui} = w.press(initialUiState, 'jj');
	assert.equal(selectedId(ui, w.context()), 's2');
	ui = w.press(ui, 's').ui; // Sort by server: fs rows first
	assert.equal(ui.sort, 'server');
	assert.equal(selectedId(ui, w.context()), 's2');
	w.supervisor.close('s0');
	w.clock.advance(100);
	assert.equal(selectedId(ui, w.context()), 's2');
});

test('when the selected session is dropped the selection stays at its place', () => {
	const w = world(3);
	const {ui} = w.press(initialUiState, 'j');
	const index = deriveView(w.context().snapshot, ui).sessionIndex;
	const gone = {...ui, sessions: {id: 'nope', index}};
	assert.equal(deriveView(w.context().snapshot, gone).sessionIndex, index);
});

test('x names id, server, pid and age; n cancels without an effect', () => {
	const w = world();
	const asked = w.press(initialUiState, 'x').ui;
	assert.equal(asked.mode, 'confirm');
	assert.match(asked.confirm!.text, /s0 · fs · pid 100 · age 1m/);
	const {ui, effects} = w.press(asked, 'n');
	assert.equal(ui.mode, 'normal');
	assert.deepEqual(effects, []);
	const esc = w.press(asked, '', {escape: true});
	assert.deepEqual(esc.effects, []);
});

test('X then y is a force kill', () => {
	const w = world();
	const asked = w.press(initialUiState, 'X', {shift: true}).ui;
	assert.match(asked.confirm!.text, /SIGKILL/);
	assert.deepEqual(w.press(asked, 'y').effects, [{type: 'kill', id: 's0', force: true}]);
});

test('confirming a kill of a session that closed meanwhile says so and kills nothing', () => {
	const w = world();
	const asked = w.press(initialUiState, 'x').ui;
	w.supervisor.close('s0');
	w.clock.advance(100);
	const {ui, effects} = w.press(asked, 'y');
	assert.deepEqual(effects, []);
	assert.equal(ui.status?.text, 'session already closed');
});

test('r asks to restart the selected session\'s server', () => {
	const w = world();
	const asked = w.press(initialUiState, 'jr').ui;
	assert.match(asked.confirm!.text, /Restart search: end its 2 open sessions/);
	assert.deepEqual(w.press(asked, 'y').effects, [{type: 'restart', server: 'search'}]);
});

test('r on a quarantined server says the restart lifts the quarantine', () => {
	const w = world(0);
	w.supervisor.events.emit('server-state', {server: 'fs', state: 'quarantined', retryAt: w.clock.now() + 8000});
	w.clock.advance(100);
	const asked = w.press(initialUiState, '1r').ui;
	assert.match(asked.confirm!.text, /Restart fs: end its 0 open sessions and lift its quarantine\?/);
	assert.deepEqual(w.press(asked, 'y').effects, [{type: 'restart', server: 'fs'}]);
});

test('q asks when sessions are open and quits at once when none are', () => {
	const w = world();
	const asked = w.press(initialUiState, 'q').ui;
	assert.equal(asked.confirm?.kind, 'quit');
	assert.deepEqual(w.press(asked, 'y').effects, [{type: 'quit'}]);
	const empty = world(0);
	assert.deepEqual(empty.press(initialUiState, 'q').effects, [{type: 'quit'}]);
});

test('Ctrl+C twice within 2 s quits; a late second press only warns again', () => {
	const w = world();
	const first = w.press(initialUiState, 'c', {ctrl: true}, {now: 10_000});
	assert.deepEqual(first.effects, []);
	assert.equal(first.ui.status?.text, 'Ctrl+C again to quit');
	assert.deepEqual(w.press(first.ui, 'c', {ctrl: true}, {now: 11_500}).effects, [{type: 'quit'}]);
	const late = w.press(first.ui, 'c', {ctrl: true}, {now: 12_500});
	assert.deepEqual(late.effects, []);
	assert.equal(late.ui.ctrlCAt, 12_500);
});

test('Enter on a server drills into its sessions; Esc leaves the drill', () => {
	const w = world();
	let {ui} = w.press(initialUiState, '1');
	ui = w.press(ui, 'j').ui;
	ui = w.press(ui, '', {return: true}).ui;
	assert.equal(ui.drillServer, 'search');
	assert.equal(ui.focus, 'sessions');
	assert.deepEqual(deriveView(w.context().snapshot, ui).sessions.map(s => s.id), ['s1', 's3']);
	ui = w.press(ui, '', {escape: true}).ui;
	assert.equal(ui.drillServer, undefined);
});

test('Enter on a session zooms its tail; Esc unzooms back to the table', () => {
	const w = world();
	let {ui} = w.press(initialUiState, '', {return: true});
	assert.deepEqual([ui.focus, ui.zoom], ['tail', true]);
	ui = w.press(ui, '', {escape: true}).ui;
	assert.deepEqual([ui.focus, ui.zoom], ['sessions', false]);
});

test('scrolling the tail up pauses it and counts new lines; G resumes', () => {
	const w = world();
	for (let i = 0; i < 10; i++) {
		w.supervisor.stderr('s0', `line ${i}`);
	}

	w.clock.advance(100);
	let {ui} = w.press(initialUiState, '3');
	ui = w.press(ui, 'k').ui;
	assert.equal(ui.tail.follow, false);
	const view = () => deriveView(w.context().snapshot, ui);
	assert.equal(tailStart(view().tailLines, ui.tail, 4), 5);
	w.supervisor.stderr('s0', 'late 1');
	w.supervisor.stderr('s0', 'late 2');
	w.clock.advance(TAIL_FRAME_MS);
	assert.equal(pausedNew(ui.tail, view().tail.total), 2);
	assert.equal(tailStart(view().tailLines, ui.tail, 4), 5, 'the paused window stays put');
	ui = w.press(ui, 'G', {shift: true}).ui;
	assert.equal(ui.tail.follow, true);
	assert.equal(tailStart(view().tailLines, ui.tail, 4), 8);
});

test('f toggles follow; c hides older lines behind a marker', () => {
	const w = world();
	w.supervisor.stderr('s0', 'old');
	w.clock.advance(100);
	let {ui} = w.press(initialUiState, '3f');
	assert.equal(ui.tail.follow, false);
	ui = w.press(ui, 'f').ui;
	assert.equal(ui.tail.follow, true);
	ui = w.press(ui, 'c').ui;
	w.supervisor.stderr('s0', 'new');
	w.clock.advance(TAIL_FRAME_MS);
	const lines = deriveView(w.context().snapshot, ui).tailLines;
	assert.equal(lines.length, 2);
	assert.ok(lines[0].marker);
	assert.equal(lines[1].line, 'new');
});

test('the tail filter is live, case-insensitive and ! inverts', () => {
	const w = world();
	for (const line of ['Error: boom', 'all good', 'another ERROR']) {
		w.supervisor.stderr('s0', line);
	}

	w.clock.advance(100);
	let {ui} = w.press(initialUiState, '3/err');
	assert.deepEqual(deriveView(w.context().snapshot, ui).tailLines.map(l => l.line), ['Error: boom', 'another ERROR']);
	ui = reduce(ui, {type: 'filter.set', text: '!err'}, w.context()).ui;
	assert.deepEqual(deriveView(w.context().snapshot, ui).tailLines.map(l => l.line), ['all good']);
	ui = w.press(ui, '', {escape: true}).ui;
	assert.equal(ui.filters.tail, '');
	assert.equal(ui.mode, 'normal');
});

test('prompt: p enters typing, Enter submits and clears, ↑ recalls history, Esc keeps the draft', () => {
	const w = world();
	let {ui} = w.press(initialUiState, 'p');
	assert.deepEqual([ui.mode, ui.focus], ['prompt', 'prompt']);
	ui = w.press(ui, 'hello').ui;
	const sent = w.press(ui, '', {return: true});
	assert.deepEqual(sent.effects, [{type: 'prompt.submit', text: 'hello'}]);
	assert.equal(sent.ui.prompt.draft, '');
	ui = w.press(sent.ui, '', {upArrow: true}).ui;
	assert.equal(ui.prompt.draft, 'second');
	ui = w.press(ui, '', {upArrow: true}).ui;
	assert.equal(ui.prompt.draft, 'first');
	ui = w.press(ui, '', {downArrow: true}).ui;
	ui = w.press(ui, '', {escape: true}).ui;
	assert.equal(ui.mode, 'normal');
	assert.equal(ui.prompt.draft, 'second');
});

test('without an agent the prompt says so instead of opening, and Tab skips it', () => {
	const w = world();
	const {ui} = w.press(initialUiState, 'p', {}, {promptAvailable: false});
	assert.deepEqual([ui.mode, ui.focus], ['normal', 'sessions']);
	assert.equal(ui.status?.text, 'no agent server configured');
	const onTail = w.press(initialUiState, '3').ui;
	assert.equal(w.press(onTail, '', {tab: true}, {promptAvailable: false}).ui.focus, 'servers');
});

test('Tab cycles panes and 1-4 jump', () => {
	const w = world();
	let {ui} = w.press(initialUiState, '', {tab: true});
	assert.equal(ui.focus, 'tail');
	ui = w.press(ui, '', {tab: true, shift: true}).ui;
	assert.equal(ui.focus, 'sessions');
	ui = w.press(ui, '1').ui;
	assert.equal(ui.focus, 'servers');
});

const agentContext = (over: Partial<NonNullable<KeyContext['agent']>> = {}): KeyContext['agent'] => ({
	running: false, keys: ['a', 'b', 'c'], shown: 'c', lines: 30, page: 10, ...over,
});

test('prompt: a task typed with its Enter in one chunk is submitted; a pasted line break is not', () => {
	const w = world();
	const {ui} = w.press(initialUiState, 'p');
	const sent = w.press(ui, 'count the words\r');
	assert.deepEqual(sent.effects, [{type: 'prompt.submit', text: 'count the words'}]);
	const pasted = w.press(ui, 'one\rtwo');
	assert.deepEqual([pasted.effects, pasted.ui.prompt.draft], [[], 'one two']);
});

test('agent pane: j/k, pages and g/G scroll the shown run; [ and ] pick another, from its top', () => {
	const w = world();
	const agent = agentContext();
	let {ui} = w.press(initialUiState, 'p');
	ui = w.press(ui, '', {escape: true}).ui;
	ui = w.press(ui, 'jj', {}, {agent}).ui;
	assert.deepEqual(ui.agent.scroll, {key: 'c', top: 2});
	ui = w.press(ui, '', {pageDown: true}, {agent}).ui;
	assert.deepEqual(ui.agent.scroll, {key: 'c', top: 12});
	ui = w.press(ui, '', {pageDown: true}, {agent}).ui;
	assert.deepEqual(ui.agent.scroll, {key: 'c', top: 'end'}, 'the bottom follows');
	ui = w.press(ui, 'k', {}, {agent}).ui;
	assert.deepEqual(ui.agent.scroll, {key: 'c', top: 19});
	ui = w.press(ui, 'g', {}, {agent}).ui;
	assert.deepEqual(ui.agent.scroll, {key: 'c', top: 0});
	ui = w.press(ui, '[', {}, {agent}).ui;
	assert.deepEqual([ui.agent.pick, ui.agent.scroll], ['b', undefined]);
	ui = w.press(ui, ']', {}, {agent: agentContext({shown: 'b'})}).ui;
	assert.equal(ui.agent.pick, undefined, 'back on the newest');
	// While typing, j is text but PgDn still pages.
	ui = w.press(ui, '', {return: true}, {agent}).ui;
	ui = w.press(ui, 'j', {}, {agent}).ui;
	assert.equal(ui.prompt.draft, 'j');
	ui = w.press(ui, '', {pageDown: true}, {agent}).ui;
	assert.deepEqual(ui.agent.scroll, {key: 'c', top: 10});
});

test('w on the prompt pane toggles wrapping of the answer, not of the tail', () => {
	const w = world();
	let {ui} = w.press(initialUiState, 'p');
	ui = w.press(ui, '', {escape: true}).ui;
	ui = w.press(ui, 'w').ui;
	assert.deepEqual([ui.agent.wrap, ui.wrap], [false, false]);
	ui = w.press(ui, '3').ui;
	ui = w.press(ui, 'w').ui;
	assert.deepEqual([ui.agent.wrap, ui.wrap], [false, true]);
});

test('Ctrl+C on the prompt pane during a run cancels it and does not arm quitting; elsewhere it arms', () => {
	const w = world();
	const running = agentContext({running: true});
	const typing = w.press(initialUiState, 'p').ui;
	const first = w.press(typing, 'c', {ctrl: true}, {agent: running});
	assert.deepEqual(first.effects, [{type: 'prompt.cancel'}]);
	assert.equal(first.ui.ctrlCAt, undefined);
	assert.match(first.ui.status!.text, /cancelled/);
	const idle = w.press(first.ui, 'c', {ctrl: true}, {agent: agentContext()});
	assert.deepEqual(idle.effects, []);
	assert.deepEqual(w.press(idle.ui, 'c', {ctrl: true}, {agent: agentContext()}).effects, [{type: 'quit'}]);
	const onSessions = w.press(initialUiState, 'c', {ctrl: true}, {agent: running});
	assert.deepEqual(onSessions.effects, [], 'a run elsewhere does not take Ctrl+C from the other panes');
	assert.deepEqual(w.press(onSessions.ui, 'c', {ctrl: true}, {agent: running}).effects, [{type: 'quit'}]);
});

test('Enter while a run is in flight keeps the draft; a submit shows the newest run again', () => {
	const w = world();
	let {ui} = w.press(initialUiState, 'p');
	ui = w.press(ui, 'next').ui;
	const busy = w.press(ui, '', {return: true}, {agent: agentContext({running: true})});
	assert.deepEqual([busy.effects, busy.ui.prompt.draft], [[], 'next']);
	assert.match(busy.ui.status!.text, /in progress/);
	const picked = {...ui, agent: {...ui.agent, pick: 'a', scroll: {key: 'a', top: 3}}};
	const sent = w.press(picked, '', {return: true}, {agent: agentContext()});
	assert.deepEqual(sent.effects, [{type: 'prompt.submit', text: 'next'}]);
	assert.deepEqual([sent.ui.agent.pick, sent.ui.agent.scroll], [undefined, undefined]);
});

test('u swaps the narrow table\'s latency pair for CPU/MEM; s sorts by CPU and by memory, the costliest first', () => {
	const w = world(3);
	const usage = new Map([['s0', {cpu: 1, rss: 900, processes: 1}], ['s1', {cpu: 50, rss: 100, processes: 1}], ['s2', {cpu: undefined, rss: 500, processes: 1}]]);
	const snapshot = {...w.store.getSnapshot(), usage};
	let {ui} = w.press(initialUiState, 'u');
	assert.equal(ui.figures, 'usage');
	assert.equal(w.press(ui, 'u').ui.figures, 'latency');
	ui = w.press(ui, 'ssss').ui;
	assert.equal(ui.sort, 'cpu');
	assert.deepEqual(deriveView(snapshot, ui).sessions.map(s => s.id), ['s1', 's0', 's2']);
	ui = w.press(ui, 's').ui;
	assert.equal(ui.sort, 'mem');
	assert.deepEqual(deriveView(snapshot, ui).sessions.map(s => s.id), ['s0', 's2', 's1']);
});

test('n/N in the tail jump between the lines a ~regex search kept, pausing there and going round at the ends', () => {
	const w = world();
	for (let i = 0; i < 20; i++) {
		w.supervisor.stderr('s0', i % 5 === 0 ? `request ${i} timed out` : `ok ${i}`);
	}

	w.clock.advance(100);
	let {ui} = w.press(initialUiState, '3n');
	assert.equal(ui.status?.text, 'nothing to search: / types a search first');
	ui = w.filter(ui, '~time(d )?out');
	const current = () => deriveView(w.context().snapshot, ui).tailLines.find(l => l.seq === ui.tail.match)?.line;
	// Following, the window shows the last 4 of the 4 matches: n starts at the top of it.
	ui = w.press(ui, 'n').ui;
	assert.equal(ui.tail.follow, false, 'a jump pauses the tail');
	assert.equal(current(), 'request 0 timed out');
	ui = w.press(ui, 'n').ui;
	assert.equal(current(), 'request 5 timed out');
	ui = w.press(ui, 'N', {shift: true}).ui;
	ui = w.press(ui, 'N', {shift: true}).ui;
	assert.equal(current(), 'request 15 timed out', 'N before the first goes round to the last');
	assert.match(ui.status?.text ?? '', /round to the last/);
	ui = w.press(ui, 'G', {shift: true}).ui;
	assert.equal(ui.tail.match, undefined, 'following again forgets the jump');
});

test('n/N scroll a long filtered tail so the match is on screen', () => {
	const w = world();
	for (let i = 0; i < 40; i++) {
		w.supervisor.stderr('s0', `hit ${i}`);
	}

	w.clock.advance(100);
	let ui = w.filter(w.press(initialUiState, '3').ui, 'hit');
	ui = w.press(ui, 'gn').ui;
	const view = () => deriveView(w.context().snapshot, ui);
	assert.equal(ui.tail.match, 0);
	for (let i = 0; i < 10; i++) {
		ui = w.press(ui, 'n').ui;
	}

	const start = tailStart(view().tailLines, ui.tail, 4);
	const at = view().tailLines.findIndex(l => l.seq === ui.tail.match);
	assert.equal(at, 10);
	assert.ok(at >= start && at < start + 4, `match ${at} in the window from ${start}`);
});

test('L opens the selected session\'s whole log full screen; e asks to export every retained line, filter or not', () => {
	const w = world();
	for (let i = 0; i < 6; i++) {
		w.supervisor.stderr('s1', `line ${i}`);
	}

	w.clock.advance(100);
	let {ui} = w.press(initialUiState, 'j');
	ui = w.press(ui, 'L', {shift: true}).ui;
	assert.deepEqual([ui.focus, ui.zoom], ['tail', true]);
	ui = w.filter(ui, 'line 5');
	const {effects} = w.press(ui, 'e');
	assert.equal(effects.length, 1);
	const effect = effects[0];
	assert.strictEqual(effect.type, 'export');
	assert.equal(effect.log.key, 's1');
	assert.equal(effect.log.server, 'search');
	assert.deepEqual(effect.log.lines.map(l => l.line), ['line 0', 'line 1', 'line 2', 'line 3', 'line 4', 'line 5']);
});

test('the table filter picks an era: era:modern, !era:modern, and one modern identity by its hash', () => {
	const w = world(2);
	w.supervisor.open({
		id: 'm1', server: 'fs', pid: 300, era: 'modern', identity: '9f8e7d6c',
	});
	w.clock.advance(100);
	const ids = (filter: string) => deriveView(w.context().snapshot, {...initialUiState, filters: {sessions: filter, tail: ''}}).sessions.map(s => s.id);
	assert.deepEqual(ids('era:modern'), ['m1']);
	assert.deepEqual(ids('era:legacy'), ['s0', 's1']);
	assert.deepEqual(ids('!era:modern'), ['s0', 's1']);
	assert.deepEqual(ids('m:9f8e'), ['m1']);
});
