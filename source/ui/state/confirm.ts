import {formatAge, shortId} from '../../lib/format.js';
import type {KeyContext} from './key-context.js';
import type {Confirm, UiState} from './ui-state.js';
import type {View} from './view.js';

const isOpen = (state: string): boolean => state !== 'closed' && state !== 'crashed';

type Asked = {confirm: Confirm} | {status: string};

/**
The kill dialog names id, server, pid and age, so the user sees what `y` will hit.
*/
export function askKill(ui: UiState, view: View, context: KeyContext, force: boolean): Asked {
	const row = ui.focus === 'servers' ? undefined : view.selectedSession;
	if (!row) {
		return {status: 'no session selected'};
	}

	if (!isOpen(row.state)) {
		return {status: 'session already closed'};
	}

	const what = `${shortId(row.id)} · ${row.server} · pid ${row.pid ?? '?'} · age ${formatAge(context.now - row.startedAt)}`;
	const text = force ? `Force kill (SIGKILL) session ${what}?` : `Kill session ${what}?`;
	return {
		confirm: {
			kind: 'kill', id: row.id, force, text,
		},
	};
}

export function askRestart(ui: UiState, view: View): Asked {
	const name = ui.focus === 'servers' ? view.selectedServer?.name : view.selectedSession?.server ?? view.selectedServer?.name;
	const server = view.servers.find(s => s.name === name);
	if (!server) {
		return {status: 'no server selected'};
	}

	const lift = server.state === 'quarantined' ? ' and lift its quarantine' : '';
	const text = `Restart ${server.name}: end its ${server.sessions} open session${server.sessions === 1 ? '' : 's'}${lift}?`;
	return {confirm: {kind: 'restart', server: server.name, text}};
}

export function askQuit(context: KeyContext): Asked | undefined {
	const n = context.snapshot.liveSessions;
	return n === 0 ? undefined : {confirm: {kind: 'quit', text: `${n} open session${n === 1 ? '' : 's'} will be closed. Quit?`}};
}

/**
The target is looked up again by id: the row the dialog named may be gone by now.
*/
export const stillOpen = (context: KeyContext, id: string): boolean =>
	context.snapshot.sessions.some(row => row.id === id && isOpen(row.state));
