import assert from 'node:assert/strict';
import {afterEach, test} from 'node:test';
import {cleanup, render} from 'ink-testing-library';
import React from 'react';
import {compileSearch} from '../../source/lib/text-filter.js';
import type {SessionRow, TailLine} from '../../source/store/types.js';
import {HelpOverlay} from '../../source/ui/panes/help-overlay.js';
import {PromptLine} from '../../source/ui/panes/prompt-line.js';
import {ServersList} from '../../source/ui/panes/servers-list.js';
import {ServersStrip} from '../../source/ui/panes/servers-strip.js';
import {SessionsTable} from '../../source/ui/panes/sessions-table.js';
import {TailPane} from '../../source/ui/panes/tail-pane.js';
import {initialUiState} from '../../source/ui/state/ui-state.js';
import type {View} from '../../source/ui/state/view.js';

afterEach(cleanup);

const now = 10_000_000;

function row(id: string, over: Partial<SessionRow> = {}): SessionRow {
	return {
		id, server: 'fs', pid: 10, state: 'live', clientName: 'cli', clientVersion: '1', tag: undefined, era: 'legacy', identity: undefined,
		startedAt: now - 5000, lastActivity: now, endedAt: undefined, closeReason: undefined, exitCode: undefined,
		signal: undefined, requests: 3, errors: 0, inFlight: 0, ...over,
	};
}

function tailView(lines: string[], total = lines.length, filter = ''): View {
	const tailLines: TailLine[] = lines.map((line, i) => ({seq: total - lines.length + i, time: now, line}));
	return {
		servers: [], serverIndex: -1, selectedServer: undefined, sessions: [], sessionIndex: -1,
		selectedSession: row('abcdef12-3456'), tailKey: 'abcdef12-3456', tail: {lines: tailLines, total}, tailLines, tailSearch: compileSearch(filter),
	};
}

const lines = (frame: string | undefined) => (frame ?? '').split('\n');

test('sessions table: every state has its glyph and word, selection has its marker', () => {
	const rows = [
		row('aaaaaaaa-1'),
		row('bbbbbbbb-1', {state: 'starting'}),
		row('cccccccc-1', {state: 'crashed', endedAt: now}),
		row('dddddddd-1', {state: 'closed', endedAt: now}),
		row('eeeeeeee-1', {lastActivity: now - 120_000}),
	];
	const {lastFrame} = render(<SessionsTable rows={rows} selected={2} focused height={8} width={80} now={now} latency={{
		'aaaaaaaa-1': {
			count: 1, rps: 1, errorsPerSec: 0, p50: 3, p95: 12.4, p99: 20, max: 20,
		},
	}} usage={new Map()} figures='latency' sort='started' filter='' drillServer={undefined} />);
	const frame = lastFrame()!;
	assert.match(frame, /aaaaaaaa ● live .* 3ms +12ms/);
	assert.match(frame, /bbbbbbbb ◌ starting/);
	assert.match(frame, /› cccccccc ✖ crashed/);
	assert.match(frame, /dddddddd · closed/);
	assert.match(frame, /eeeeeeee ○ idle/);
	assert.match(frame, /Sessions 3 open/);
	assert.equal(lines(frame).length, 8, 'exactly the height it was given');
});

test('sessions table: a modern child shows its identity hash and the clients seen, never a header value', () => {
	const rows = [row('m-1a2b3c4d-0000', {era: 'modern', identity: '9f8e7d6c', clientName: 'claude-code, cursor'}), row('aaaaaaaa-2', {tag: 'prompt'})];
	const narrow = render(<SessionsTable rows={rows} selected={0} focused height={6} width={80} now={now} latency={{}} usage={new Map()} figures='latency' sort='started' filter='' drillServer={undefined} />).lastFrame()!;
	assert.match(narrow, /m1a2b3c4 ● live +fs +m:9f8e7d cl/);
	assert.match(narrow, /aaaaaaaa.*\[prompt\] cli/);
	const wide = render(<SessionsTable rows={rows} selected={0} focused height={6} width={160} now={now} latency={{}} usage={new Map()} figures='latency' sort='started' filter='' drillServer={undefined} />).lastFrame()!;
	assert.match(wide, /m:9f8e7d claude-cod/);
});

test('sessions table: CPU%/MEM at 80 columns in place of P50/P95 when asked, both from 81 columns (the wide layout)', () => {
	const rows = [row('aaaaaaaa-1', {pid: 4242}), row('bbbbbbbb-1', {pid: 4343})];
	const usage = new Map([['aaaaaaaa-1', {cpu: 37.46, rss: 300 * 1024 * 1024, processes: 2}], ['bbbbbbbb-1', {cpu: undefined, rss: 20 * 1024 * 1024, processes: 1}]]);
	const latency = {
		'aaaaaaaa-1': {
			count: 1, rps: 1, errorsPerSec: 0, p50: 3, p95: 12.4, p99: 20, max: 20,
		},
	};
	const at = (width: number, figures: 'latency' | 'usage') => {
		const frame = render(<SessionsTable rows={rows} selected={0} focused height={5} width={width} now={now} latency={latency} usage={usage} figures={figures} sort='started' filter='' drillServer={undefined} />).lastFrame()!;
		cleanup();
		return frame;
	};

	const latencyFirst = at(80, 'latency');
	assert.match(latencyFirst, /P50 +P95 +PID/);
	assert.doesNotMatch(latencyFirst, /CPU%|MEM/);
	const usageFirst = at(80, 'usage');
	assert.match(usageFirst, /CPU% +MEM +PID/);
	assert.doesNotMatch(usageFirst, /P50/);
	assert.match(usageFirst, /aaaaaaaa ● live .* 37 +300MB +4242/);
	assert.match(usageFirst, /bbbbbbbb ● live .* - +20MB +4343/, 'no CPU figure before a second sample');
	for (const line of lines(usageFirst)) {
		assert.ok(line.length <= 80);
	}

	const wide = at(81, 'latency');
	assert.match(wide, /P50 +P95 +CPU% +MEM +PID/);
	assert.match(wide, /3ms +12ms +37 +300MB +4242/);
});

test('sessions table windows long lists and keeps the selection in view', () => {
	const rows = Array.from({length: 50}, (_, i) => row(`${String(i).padStart(8, '0')}-x`));
	const {lastFrame} = render(<SessionsTable rows={rows} selected={30} focused height={6} width={80} now={now} latency={{}} usage={new Map()} figures='latency' sort='p95' filter='fs' drillServer='fs' />);
	const frame = lastFrame()!;
	assert.equal(lines(frame).length, 6);
	assert.match(frame, /› 00000030/);
	assert.match(frame, /server fs {2}\/fs {2}sort p95 {2}28-31\/50/);
});

test('tail: wraps long lines within its height, and shows timestamps', () => {
	const long = 'x'.repeat(50);
	const ui = initialUiState;
	const wrapped = render(<TailPane view={tailView(['short', long])} tail={ui.tail} filter='' wrap timestamps={false} focused={false} height={4} width={20} />);
	const frame = lines(wrapped.lastFrame());
	assert.equal(frame.length, 4);
	assert.match(frame[0], /stderr abcdef12 · fs · pid 10 {2}FOLLOW {2}wrap/);
	assert.deepEqual(frame.slice(1).map(l => l.trim()), ['x'.repeat(19), 'x'.repeat(19), 'x'.repeat(12)]);
	cleanup();
	const stamped = render(<TailPane view={tailView(['hello'])} tail={ui.tail} filter='' wrap={false} timestamps focused height={3} width={40} />);
	assert.match(stamped.lastFrame()!, / \d\d:\d\d:\d\d hello/);
});

test('tail: paused title counts new lines and the window stays on its anchor', () => {
	const view = tailView(['l0', 'l1', 'l2', 'l3', 'l4', 'l5'], 6);
	const {lastFrame} = render(<TailPane view={view} tail={{follow: false, anchor: 1, pausedTotal: 4}} filter='l' wrap={false} timestamps={false} focused height={3} width={40} />);
	const frame = lines(lastFrame());
	assert.match(frame[0], /PAUSED \+2 new {2}\/l/);
	assert.deepEqual(frame.slice(1).map(l => l.trim()), ['l1', 'l2']);
});

test('servers strip: glyph, count and crashes; the selected one is marked when focused', () => {
	const servers = [
		{
			name: 'fs', state: 'ready' as const, command: '', sessions: 2, starting: 0, prewarmed: 0, crashes: 0, spawned: 2, lastCrashed: false, retryAt: undefined,
		},
		{
			name: 'search', state: 'ready' as const, command: '', sessions: 0, starting: 0, prewarmed: 0, crashes: 3, spawned: 3, lastCrashed: true, retryAt: undefined,
		},
		{
			name: 'off', state: 'disabled' as const, command: '', sessions: 0, starting: 0, prewarmed: 0, crashes: 0, spawned: 0, lastCrashed: false, retryAt: undefined,
		},
	];
	const {lastFrame} = render(<ServersStrip servers={servers} selected={1} focused width={80} />);
	assert.match(lastFrame()!, /● fs 2 +›✖ search 0 crashed\(3\) +· off off/);
	cleanup();
	const usage = new Map([['fs', {cpu: 12.3, rss: 45 * 1024 * 1024, processes: 3}]]);
	const costed = render(<ServersStrip servers={servers} usage={usage} selected={1} focused width={80} />);
	assert.match(costed.lastFrame()!, /● fs 2 12% 45MB +›✖ search 0 crashed\(3\)/, 'a server\'s children summed');
});

test('servers strip: a quarantined server says so in glyph and word, at 80 columns beside the others', () => {
	const base = {
		command: '', starting: 0, prewarmed: 0, spawned: 5, lastCrashed: true, retryAt: undefined,
	};
	const servers = [
		{
			...base, name: 'fs', state: 'ready' as const, sessions: 2, crashes: 0, lastCrashed: false,
		},
		{
			...base, name: 'search', state: 'quarantined' as const, sessions: 0, crashes: 5, retryAt: now + 8000,
		},
		{
			...base, name: 'git', state: 'quarantined' as const, sessions: 1, crashes: 5, retryAt: now + 8000,
		},
		{
			...base, name: 'memory', state: 'ready' as const, sessions: 0, crashes: 1,
		},
	];
	const {lastFrame} = render(<ServersStrip servers={servers} selected={1} focused width={80} />);
	const frame = lastFrame()!;
	assert.equal(lines(frame).length, 1);
	assert.match(frame, /● fs 2 +›⊘ search quarantined +⊘ git 1 quarantined +✖ memory 0 crashed\(1\)/);
	assert.ok(frame.length <= 80, 'fits the 80-column line');
});

test('help overlay is one column below 60 columns and two from 60', () => {
	const narrow = render(<HelpOverlay readOnly={false} height={40} width={50} scroll={0} />);
	assert.ok(lines(narrow.lastFrame()).some(l => /^ {2}\? +help/.test(l)));
	assert.ok(lines(narrow.lastFrame()).every(l => !/help.*kill/.test(l)));
	const narrowFrame = narrow.lastFrame();
	cleanup();
	const wide = render(<HelpOverlay readOnly height={40} width={100} scroll={0} />);
	const frame = wide.lastFrame()!;
	const used = (f: string | undefined) => lines(f).filter(l => l.trim() !== '').length;
	assert.ok(used(frame) < used(narrowFrame));
	assert.match(frame, /Keys \(read-only\)/);
	assert.match(frame, /kill session \(confirmed\) \[off\]/);
	assert.doesNotMatch(frame, /…/, 'two columns of 50 fit every line');
});

test('prompt line: absent agent, progress, error, draft', () => {
	const base = {
		available: true, focused: false, typing: false, draft: '', cursor: 0,
	};
	const absent = render(<PromptLine {...base} available={false} snapshot={{state: 'idle', logs: [], history: []}} />);
	assert.match(absent.lastFrame()!, /no agent server configured/);
	cleanup();
	const error = render(<PromptLine {...base} snapshot={{
		state: 'error', error: 'tool not found', logs: [], history: [],
	}} />);
	assert.match(error.lastFrame()!, /✖ failed: tool not found/);
	cleanup();
	const draft = render(<PromptLine {...base} draft='half typed' snapshot={{state: 'idle', logs: [], history: []}} />);
	assert.match(draft.lastFrame()!, /draft: half typed/);
	cleanup();
	const typing = render(<PromptLine {...base} typing focused draft='abc' cursor={1} snapshot={{state: 'idle', logs: [], history: []}} />);
	// Colours are off in the tests: the cursor (on `b`) is a bar, not inverse.
	assert.match(typing.lastFrame()!, /›▸ a▏bc/);
});

test('tail: the line n/N jumped to carries the marker and the title says which match it is', () => {
	const view = tailView(['boot', 'error one', 'error two', 'error three'], 4, 'error');
	const shown = {...view, tailLines: view.tailLines.filter(l => l.line.includes('error'))};
	const {lastFrame} = render(<TailPane view={shown} tail={{
		follow: false, anchor: 0, pausedTotal: 4, match: 2,
	}} filter='error' wrap={false} timestamps={false} focused height={5} width={60} />);
	const frame = lines(lastFrame());
	assert.match(frame[0], /PAUSED \+0 new {2}\/error {2}match 2\/3/);
	// The tests run with colours off (FORCE_COLOR=0), where a hit is «marked» instead of inverse.
	assert.deepEqual(frame.slice(1, 4), [' «error» one', '›«error» two', ' «error» three']);
});

test('help overlay starts with the focused pane\'s keys', () => {
	const frame = lines(render(<HelpOverlay readOnly={false} focus='tail' height={30} width={50} scroll={0} />).lastFrame());
	assert.match(frame[1], /^ {2}Stderr tail$/);
	assert.ok(frame.slice(2, 14).some(l => /^ {2}n +tail: next line the filter matched/.test(l)), frame.join('\n'));
});

test('sessions table: a closed session shows no CPU or memory, whatever was sampled last', () => {
	const rows = [row('aaaaaaaa-1', {state: 'closed', endedAt: now})];
	const usage = new Map([['aaaaaaaa-1', {cpu: 5, rss: 300 * 1024 * 1024, processes: 1}]]);
	const frame = render(<SessionsTable rows={rows} selected={0} focused height={4} width={80} now={now} latency={{}} usage={usage} figures='usage' sort='started' filter='' drillServer={undefined} />).lastFrame()!;
	assert.match(frame, /aaaaaaaa · closed .* - +- +10/);
});

test('servers strip and list: spares kept warm by prewarm are shown apart from the sessions', () => {
	const warm = {
		name: 'fs', state: 'ready' as const, command: '', sessions: 1, starting: 0, prewarmed: 2, crashes: 0, spawned: 3, lastCrashed: false, retryAt: undefined,
	};
	const cold = {...warm, name: 'git', prewarmed: 0};
	const strip = render(<ServersStrip servers={[warm, cold]} selected={0} focused={false} width={80} />);
	assert.match(strip.lastFrame()!, /● fs 1 \+2 warm +● git 1(?! \+)/);
	cleanup();
	const list = render(<ServersList servers={[warm, cold]} selected={0} focused={false} height={6} />);
	const lines = list.lastFrame()!.split('\n');
	assert.match(lines.find(line => line.includes(' fs '))!, /2 warm {2}3 started/);
	assert.doesNotMatch(lines.find(line => line.includes(' git '))!, /warm/);
	cleanup();
});
