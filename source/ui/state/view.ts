import {compileSearch, keepsEverything, type Search} from '../../lib/text-filter.js';
import {formatClock, shortId} from '../../lib/format.js';
import type {DashboardSnapshot, ServerRow, SessionRow, TailLine, TailView} from '../../store/types.js';
import type {Selection, SortKey, UiState} from './ui-state.js';

/**
A tail line as shown; the `c` marker is a synthetic one.
*/
export type ShownLine = {
	readonly marker?: boolean;
} & TailLine;

/**
What the panes show: the snapshot seen through the UI state.
*/
export type View = {
	servers: readonly ServerRow[];
	serverIndex: number;
	selectedServer: ServerRow | undefined;
	sessions: readonly SessionRow[];
	sessionIndex: number;
	selectedSession: SessionRow | undefined;
	/**
	Session id whose tail is shown, or `''` for mcpd's own log.
	*/
	tailKey: string;
	tail: TailView;
	tailLines: readonly ShownLine[];
	/**
	The tail's filter, for highlighting what it matched.
	*/
	tailSearch: Search;
};

const stateRank: Record<SessionRow['state'], number> = {
	crashed: 0, starting: 1, live: 2, closing: 3, closed: 4,
};

function comparator(sort: SortKey, snapshot: DashboardSnapshot): ((a: SessionRow, b: SessionRow) => number) | undefined {
	const p95 = (row: SessionRow) => snapshot.latency.sessions[row.id]?.p95 ?? -1;
	const usage = (row: SessionRow) => snapshot.usage.get(row.id);
	switch (sort) {
		case 'started': {return undefined;}

		case 'server': {return (a, b) => a.server.localeCompare(b.server);}

		case 'requests': {return (a, b) => b.requests - a.requests;}

		case 'p95': {return (a, b) => p95(b) - p95(a);}

		case 'cpu': {return (a, b) => (usage(b)?.cpu ?? -1) - (usage(a)?.cpu ?? -1);}

		case 'mem': {return (a, b) => (usage(b)?.rss ?? -1) - (usage(a)?.rss ?? -1);}

		case 'state': {return (a, b) => stateRank[a.state] - stateRank[b.state];}
	}
}

/**
What the table's `/` looks in; `era:modern` and `era:legacy` pick a protocol era, `m:<hash>` one modern identity.
*/
export const sessionSearchText = (row: SessionRow): string =>
	`${shortId(row.id)} ${row.id} ${row.server} ${row.clientName ?? ''} ${row.state} ${row.pid ?? ''} ${row.tag ?? ''} era:${row.era}${row.identity ? ` m:${row.identity}` : ''}`;

/**
Index of the selected row: by id while it exists, else where it was, clamped.
*/
export function resolveIndex(rows: ReadonlyArray<{id: string}>, selection: Selection): number {
	if (rows.length === 0) {
		return -1;
	}

	const byId = selection.id === undefined ? -1 : rows.findIndex(r => r.id === selection.id);
	return byId === -1 ? Math.min(Math.max(0, selection.index), rows.length - 1) : byId;
}

const emptyTail: TailView = {lines: [], total: 0};

export function deriveView(snapshot: DashboardSnapshot, ui: UiState): View {
	const {servers} = snapshot;
	const serverRows = servers.map(s => ({...s, id: s.name}));
	const serverIndex = resolveIndex(serverRows, ui.servers);

	const keep = compileSearch(ui.filters.sessions);
	// Unfiltered, the store's list as it is: no search text built for every row at every frame.
	let sessions = keepsEverything(keep) && ui.drillServer === undefined
		? snapshot.sessions
		: snapshot.sessions.filter(row =>
			(ui.drillServer === undefined || row.server === ui.drillServer) && keep.test(sessionSearchText(row)));
	const compare = comparator(ui.sort, snapshot);
	// Sorting is stable, so ties keep the store's order (open oldest first, then recently closed).
	if (compare) {
		sessions = sessions.toSorted(compare);
	}

	const sessionIndex = resolveIndex(sessions, ui.sessions);
	const selectedSession = sessions[sessionIndex];

	const tailKey = selectedSession?.id ?? '';
	const tail = tailKey === '' ? snapshot.log : snapshot.tails.get(tailKey) ?? emptyTail;
	const mark = ui.cleared.get(tailKey);
	const search = compileSearch(ui.filters.tail);
	let lines: readonly ShownLine[] = tail.lines;
	if (mark) {
		const marker: ShownLine = {
			seq: mark.seq - 0.5, time: mark.at, line: `──── cleared at ${formatClock(mark.at)} ────`, marker: true,
		};
		lines = [marker, ...tail.lines.filter(l => l.seq >= mark.seq && search.test(l.line))];
	} else if (!keepsEverything(search)) {
		lines = tail.lines.filter(l => search.test(l.line));
	}

	return {
		servers,
		serverIndex,
		selectedServer: servers[serverIndex],
		sessions,
		sessionIndex,
		selectedSession,
		tailKey,
		tail,
		tailLines: lines,
		tailSearch: search,
	};
}
