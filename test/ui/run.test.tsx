import assert from 'node:assert/strict';
import {test} from 'node:test';
import {runDashboard} from '../../source/ui/run.js';
import {waitFor} from '../helpers/ink-wait.js';
import {FakeStdin, FakeStdout} from '../helpers/render-at.js';
import {emptyLatency, FakeSupervisor, server} from '../store/fake-supervisor.js';

function start(onQuit?: () => void) {
	const supervisor = new FakeSupervisor();
	supervisor.serverList = [server('fs')];
	const stdout = new FakeStdout(80, 24);
	const stdin = new FakeStdin();
	const dashboard = runDashboard({
		supervisor, latency: emptyLatency, info: {version: '9.9.9', url: 'http://127.0.0.1:1', readOnly: false}, onQuit,
		stdout: stdout as unknown as NodeJS.WriteStream, stdin: stdin as unknown as NodeJS.ReadStream,
	});
	return {
		supervisor, stdout, stdin, dashboard, written: () => stdout.frames.join(''),
	};
}

test('runs on the alternate screen and restores the terminal on unmount', async () => {
	const {dashboard, written, supervisor} = start();
	await waitFor(() => written().includes('mcpd 9.9.9'), {message: 'first frame'});
	assert.ok(written().startsWith('\u{1B}[?1049h'), 'enters the alternate screen first');
	assert.ok(supervisor.events.listenerCount('stderr') > 0);
	dashboard.unmount();
	await dashboard.waitUntilExit();
	assert.ok(written().includes('\u{1B}[?1049l'), 'leaves the alternate screen');
	assert.equal(supervisor.events.listenerCount('stderr'), 0, 'the store is disposed');
});

test('q calls onQuit and leaves exiting to the caller', async () => {
	let quits = 0;
	const {dashboard, written, stdin} = start(() => quits++);
	await waitFor(() => written().includes('mcpd 9.9.9'), {message: 'first frame'});
	stdin.write('q');
	await waitFor(() => quits === 1, {message: 'onQuit'});
	assert.ok(!written().includes('\u{1B}[?1049l'), 'still mounted');
	dashboard.unmount();
	await dashboard.waitUntilExit();
});

test('without onQuit, q unmounts the dashboard itself', async () => {
	const {dashboard, written, stdin} = start();
	await waitFor(() => written().includes('mcpd 9.9.9'), {message: 'first frame'});
	stdin.write('q');
	await dashboard.waitUntilExit();
	assert.ok(written().includes('\u{1B}[?1049l'));
});
