/**
 Sessions table columns fitted to a width. Narrow terminals drop columns in
 reverse priority (ID > state glyph > SERVER > P95 > P50 > REQS > AGE >
 CLIENT > PID); the state word goes before P50 but its glyph never does.
 CPU% and MEM come first or last of all, by what the user asked to see
 (`u`): at 80 columns there is room for them or for the latency pair.
 */
export type ColumnId = 'id' | 'state' | 'server' | 'client' | 'age' | 'reqs' | 'p50' | 'p95' | 'cpu' | 'mem' | 'pid';

/**
Which pair a narrow table keeps: request latency or what the child costs.
*/
export type Figures = 'latency' | 'usage';

export type Column = {
	id: ColumnId;
	title: string;
	width: number;
	align: 'left' | 'right';
};

/**
The `› ` selection marker in front of every row.
*/
export const markerWidth = 2;

type Spec = {
	/**
	Widths the column may grow to when there is room.
	*/
	max: number;
} & Column;

const specs: Spec[] = [
	{
		id: 'id', title: 'ID', width: 8, max: 8, align: 'left',
	},
	{
		id: 'state', title: 'STATE', width: 10, max: 10, align: 'left',
	},
	{
		id: 'server', title: 'SERVER', width: 6, max: 12, align: 'left',
	},
	{
		id: 'client', title: 'CLIENT', width: 6, max: 20, align: 'left',
	},
	{
		id: 'age', title: 'AGE', width: 5, max: 6, align: 'right',
	},
	{
		id: 'reqs', title: 'REQS', width: 5, max: 6, align: 'right',
	},
	{
		id: 'p50', title: 'P50', width: 6, max: 7, align: 'right',
	},
	{
		id: 'p95', title: 'P95', width: 6, max: 7, align: 'right',
	},
	{
		id: 'cpu', title: 'CPU%', width: 5, max: 6, align: 'right',
	},
	{
		id: 'mem', title: 'MEM', width: 5, max: 7, align: 'right',
	},
	{
		id: 'pid', title: 'PID', width: 7, max: 8, align: 'right',
	},
];

// A pair goes as one: half of it would only take the room the other half needs.
type Drop = ColumnId | 'state-word' | ColumnId[];
const dropOrder: Record<Figures, Drop[]> = {
	latency: [['cpu', 'mem'], 'pid', 'client', 'age', 'reqs', 'state-word', 'p50', 'p95', 'server'],
	usage: [['p50', 'p95'], 'pid', 'client', 'age', 'reqs', 'state-word', 'mem', 'cpu', 'server'],
};

/**
Total width of columns plus one space between neighbours, marker included.
*/
export const rowWidth = (columns: readonly Column[]): number =>
	markerWidth + columns.reduce((sum, c) => sum + c.width, 0) + Math.max(0, columns.length - 1);

export function fitColumns(width: number, figures: Figures = 'latency'): Column[] {
	let cols: Spec[] = specs.map(s => ({...s}));
	for (const drop of dropOrder[figures]) {
		if (rowWidth(cols) <= width) {
			break;
		}

		if (drop === 'state-word') {
			cols = cols.map(c => (c.id === 'state'
				? {
					...c, title: 'S', width: 1, max: 1,
				}
				: c));
		} else {
			const gone = new Set(Array.isArray(drop) ? drop : [drop]);
			cols = cols.filter(c => !gone.has(c.id));
		}
	}

	// Spare room goes to the columns that hold names (a short server name first, then the client), then to the numbers.
	let spare = width - rowWidth(cols);
	const steps: Array<[ColumnId, number]> = [['server', 10], ['client', 20], ['server', 12], ['age', 6], ['reqs', 6], ['p50', 7], ['p95', 7], ['cpu', 6], ['mem', 7], ['pid', 8]];
	for (const [id, upTo] of steps) {
		const col = cols.find(c => c.id === id);
		if (!col || spare <= 0) {
			continue;
		}

		const grow = Math.max(0, Math.min(spare, upTo - col.width, col.max - col.width));
		col.width += grow;
		spare -= grow;
	}

	return cols.map(({max: _max, ...c}) => c);
}

/**
Pads or cuts `text` to exactly `width` cells, with `…` when cut.
*/
export function cell(text: string, width: number, align: 'left' | 'right'): string {
	const chars = [...text];
	if (chars.length > width) {
		return width <= 1 ? chars.slice(0, width).join('') : chars.slice(0, width - 1).join('') + '…';
	}

	return align === 'left' ? text.padEnd(width + text.length - chars.length) : text.padStart(width + text.length - chars.length);
}
