const bars = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/**
 The last `width` values as block characters scaled to the largest of them;
 a flat zero series stays on the lowest bar so the line keeps its width.
 */
export function sparkline(values: readonly number[], width: number): string {
	if (width <= 0) {
		return '';
	}

	const tail = values.slice(-width);
	const max = Math.max(0, ...tail.filter(Number.isFinite));
	const line = tail.map(v => max === 0 || !Number.isFinite(v) ? bars[0] : bars[Math.min(bars.length - 1, Math.round((v / max) * (bars.length - 1)))]);
	return line.join('').padStart(width, ' ');
}
