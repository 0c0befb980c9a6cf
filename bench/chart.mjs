// A plain-text chart of calls/s against sessions, one letter per proxy, for a
// README that renders anywhere (a code block, no images to keep in step).

const MARKS = {
	stdio: 'F', mcpd: 'M', supergateway: 'S', 'mcp-proxy': 'P', seed: 'Y',
};
const NAMES = {
	stdio: 'stdio floor', mcpd: 'mcpd', supergateway: 'supergateway', 'mcp-proxy': 'mcp-proxy', seed: 'seed',
};
const HEIGHT = 12;
const STEP = 10;

/**
 `xs` are the session counts (equally spaced, as the sweep doubles or
 quadruples them); each series has a value (or undefined) per x.
 @param xs
 @param series
 */
export function chart(xs, series) {
	const values = series.flatMap(line => line.points).filter(value => typeof value === 'number');
	if (values.length === 0) {return '(no figures)';}
	const top = niceCeiling(Math.max(...values));
	const width = (xs.length - 1) * STEP + 1;
	const grid = Array.from({length: HEIGHT + 1}, () => Array.from({length: width}, () => ' '));
	for (const line of series) {
		for (const [index, value] of line.points.entries()) {
			if (typeof value !== 'number') {continue;}
			const row = HEIGHT - Math.round((value / top) * HEIGHT);
			const column = index * STEP;
			const cell = grid[row][column];
			grid[row][column] = cell === ' ' ? (MARKS[line.name] ?? '?') : '*';
		}
	}

	const label = row => {
		const value = (top * (HEIGHT - row)) / HEIGHT;
		return row % 3 === 0 ? Math.round(value).toLocaleString('en-US').padStart(7) : ' '.repeat(7);
	};

	const out = grid.map((cells, row) => `${label(row)} |${cells.join('')}`.trimEnd());
	out.push(
		`${' '.repeat(7)} +${'-'.repeat(width)}`,
		`${' '.repeat(9)}${xs.map((x, index) => String(x).padEnd(index === xs.length - 1 ? 0 : STEP)).join('')}   sessions`,
		'',
		series.map(line => `${MARKS[line.name] ?? '?'} ${NAMES[line.name] ?? line.name}`).join(' '.repeat(3)) + '   * several');
	return out.join('\n');
}

/**
1, 2 or 5 times a power of ten, at least `value`.
@param value
*/
function niceCeiling(value) {
	const power = 10 ** Math.floor(Math.log10(value));
	for (const step of [1, 2, 5, 10]) {
		if (step * power >= value) {return step * power;}
	}

	return 10 * power;
}
