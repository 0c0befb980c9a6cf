import assert from 'node:assert/strict';
import {test} from 'node:test';
import {bindings, footerHints, helpLines, keyToActions, type KeyContext} from '../../source/ui/keymap.js';
import {key} from './keys.js';

const normal: KeyContext = {focus: 'sessions', readOnly: false};
const types = (actions: Array<{type: string}>) => actions.map(a => a.type);

test('normal mode maps letters, arrows and named keys to commands', () => {
	assert.deepEqual(types(keyToActions('normal', 'j', key(), normal)), ['nav.down']);
	assert.deepEqual(types(keyToActions('normal', '', key({downArrow: true}), normal)), ['nav.down']);
	assert.deepEqual(types(keyToActions('normal', 'G', key({shift: true}), normal)), ['nav.bottom']);
	assert.deepEqual(types(keyToActions('normal', '', key({pageUp: true}), normal)), ['nav.pageUp']);
	assert.deepEqual(types(keyToActions('normal', '', key({tab: true}), normal)), ['pane.next']);
	assert.deepEqual(types(keyToActions('normal', '', key({tab: true, shift: true}), normal)), ['pane.prev']);
	assert.deepEqual(types(keyToActions('normal', '', key({return: true}), normal)), ['view.enter']);
	assert.deepEqual(types(keyToActions('normal', '', key({escape: true}), normal)), ['view.back']);
	assert.deepEqual(types(keyToActions('normal', ':', key(), normal)), ['pane.prompt']);
	assert.deepEqual(types(keyToActions('normal', '3', key(), normal)), ['pane.tail']);
	assert.deepEqual(types(keyToActions('normal', 'x', key(), normal)), ['session.kill']);
	assert.deepEqual(types(keyToActions('normal', 'X', key({shift: true}), normal)), ['session.forceKill']);
	assert.deepEqual(keyToActions('normal', 'é', key(), normal), []);
});

test('Ctrl+C is an interrupt in every mode, and a ctrl chord is never its letter', () => {
	for (const mode of ['normal', 'filter', 'confirm', 'help', 'prompt'] as const) {
		assert.deepEqual(types(keyToActions(mode, 'c', key({ctrl: true}), normal)), ['app.interrupt'], mode);
	}

	assert.deepEqual(keyToActions('normal', 'x', key({ctrl: true}), normal), []);
});

test('confirm mode: only a plain y confirms; anything else, Esc included, cancels', () => {
	assert.deepEqual(types(keyToActions('confirm', 'y', key(), normal)), ['confirm.yes']);
	for (const [input, flags] of [['n', {}], ['Y', {shift: true}], ['', {escape: true}], ['', {return: true}], ['x', {}], [' ', {}]] as const) {
		assert.deepEqual(types(keyToActions('confirm', input, key(flags), normal)), ['confirm.no'], JSON.stringify([input, flags]));
	}
});

test('help mode scrolls with j/k and closes on anything else', () => {
	assert.deepEqual(keyToActions('help', 'j', key(), normal), [{type: 'help.scroll', delta: 1}]);
	assert.deepEqual(keyToActions('help', '', key({upArrow: true}), normal), [{type: 'help.scroll', delta: -1}]);
	assert.deepEqual(types(keyToActions('help', 'q', key(), normal)), ['help.close']);
	assert.deepEqual(types(keyToActions('help', '?', key(), normal)), ['help.close']);
});

test('filter mode types letters instead of running commands', () => {
	assert.deepEqual(keyToActions('filter', 'q', key(), normal), [{type: 'text.insert', text: 'q'}]);
	assert.deepEqual(keyToActions('filter', 'x', key(), normal), [{type: 'text.insert', text: 'x'}]);
	assert.deepEqual(keyToActions('filter', '', key({backspace: true}), normal), [{type: 'text.backspace'}]);
	assert.deepEqual(keyToActions('filter', '', key({leftArrow: true}), normal), [{type: 'text.move', to: 'left'}]);
	assert.deepEqual(types(keyToActions('filter', '', key({return: true}), normal)), ['filter.accept']);
	assert.deepEqual(types(keyToActions('filter', '', key({escape: true}), normal)), ['filter.cancel']);
});

test('prompt mode: Enter submits, Esc leaves, arrows walk history, letters are text', () => {
	const ctx: KeyContext = {focus: 'prompt', readOnly: false};
	assert.deepEqual(keyToActions('prompt', 'q', key(), ctx), [{type: 'text.insert', text: 'q'}]);
	assert.deepEqual(keyToActions('prompt', 'w', key({ctrl: true}), ctx), [], 'a chord types nothing');
	assert.deepEqual(types(keyToActions('prompt', '', key({return: true}), ctx)), ['prompt.submit']);
	assert.deepEqual(types(keyToActions('prompt', '', key({escape: true}), ctx)), ['prompt.leave']);
	assert.deepEqual(keyToActions('prompt', '', key({upArrow: true}), ctx), [{type: 'prompt.history', delta: -1}]);
	assert.deepEqual(keyToActions('prompt', '', key({downArrow: true}), ctx), [{type: 'prompt.history', delta: 1}]);
	assert.deepEqual(keyToActions('prompt', 'u', key({ctrl: true}), ctx), [{type: 'text.clear'}]);
	assert.deepEqual(keyToActions('filter', 'u', key({ctrl: true}), ctx), [{type: 'text.clear'}]);
});

test('read-only turns x, X and r into a notice and nothing else', () => {
	const ro: KeyContext = {focus: 'sessions', readOnly: true};
	for (const input of ['x', 'X', 'r']) {
		const actions = keyToActions('normal', input, key({shift: input === 'X'}), ro);
		assert.equal(actions.length, 1);
		assert.equal(actions[0].type, 'status', input);
	}

	assert.deepEqual(types(keyToActions('normal', 'j', key(), ro)), ['nav.down']);
});

test('x on the prompt pane cancels the agent run instead of killing a session', () => {
	assert.deepEqual(types(keyToActions('normal', 'x', key(), {focus: 'prompt', readOnly: false})), ['prompt.cancelRun']);
});

test('no two bindings share a key for the same pane', () => {
	const seen = new Map<string, string>();
	for (const b of bindings) {
		for (const pane of b.panes ?? ['servers', 'sessions', 'tail', 'prompt']) {
			for (const spec of b.keys) {
				const k = `${pane}:${spec}`;
				assert.equal(seen.get(k), undefined, `${k} bound to ${seen.get(k)} and ${b.id}`);
				seen.set(k, b.id);
			}
		}
	}
});

test('footer and help are generated from the table and honour read-only', () => {
	const hints = footerHints('sessions', false).map(h => h.label);
	assert.equal(hints[0], 'help');
	assert.equal(hints.at(-1), 'quit');
	assert.ok(hints.includes('kill'));
	const ro = new Set(footerHints('sessions', true).map(h => h.label));
	assert.ok(!ro.has('kill'));
	assert.ok(!ro.has('restart'));
	assert.ok(ro.has('read-only'));
	assert.equal(helpLines(false).length, bindings.length);
	assert.match(helpLines(true).find(l => l.keys === 'x')!.text, /\[off\]/);
});

test('prompt pane: [ and ] pick answers, PgUp/PgDn page even while typing; the footer shows them', () => {
	const ctx: KeyContext = {focus: 'prompt', readOnly: false};
	assert.deepEqual(types(keyToActions('normal', '[', key(), ctx)), ['agent.older']);
	assert.deepEqual(types(keyToActions('normal', ']', key(), ctx)), ['agent.newer']);
	assert.deepEqual(types(keyToActions('normal', '[', key(), normal)), [], 'only on the prompt pane');
	assert.deepEqual(types(keyToActions('prompt', '', key({pageDown: true}), ctx)), ['nav.pageDown']);
	assert.deepEqual(types(keyToActions('prompt', '', key({pageUp: true}), ctx)), ['nav.pageUp']);
	assert.deepEqual(keyToActions('prompt', '[', key(), ctx), [{type: 'text.insert', text: '['}]);
	const hints = new Set(footerHints('prompt', false).map(h => `${h.keys} ${h.label}`));
	for (const hint of ['j/k move', '[/] answers', 'w wrap', 'x/C-c cancel run', 'Esc back']) {
		assert.ok(hints.has(hint), hint);
	}

	assert.ok(helpLines(false).some(l => l.keys === '[' && l.text.includes('older answer')));
});

test('help for a pane lists its own keys first, under its name, then everything else once', () => {
	const lines = helpLines(false, 'tail');
	assert.deepEqual(lines.filter(l => l.heading).map(l => l.text), ['Stderr tail', 'Everywhere']);
	const split = lines.findIndex(l => l.text === 'Everywhere');
	const own = lines.slice(1, split).map(l => l.keys);
	for (const key of ['n', 'N', 'f', 'w', 't', 'c', 'e', 'L', 'x']) {
		assert.ok(own.includes(key), `${key} among the tail's keys: ${own.join(' ')}`);
	}

	assert.ok(!own.includes('q') && !own.includes('s'), 'quit is global; sort belongs to the table');
	assert.equal(lines.filter(l => !l.heading).length, bindings.length, 'every binding exactly once');
	const table = helpLines(false, 'sessions');
	assert.ok(table.slice(1, table.findIndex(l => l.text === 'Everywhere')).some(l => l.keys === 'u'));
});
