/**
Compact human formats for narrow terminal columns.
*/

const pad2 = (n: number): string => String(n).padStart(2, '0');

/**
An age or uptime: `12s`, `3m`, `2h05m`, `4d`. Negative input counts as 0.
*/
export function formatAge(ms: number): string {
	const s = Math.max(0, Math.floor(ms / 1000));
	if (s < 60) {
		return `${s}s`;
	}

	const m = Math.floor(s / 60);
	if (m < 60) {
		return `${m}m`;
	}

	const h = Math.floor(m / 60);
	return h < 24 ? `${h}h${pad2(m % 60)}m` : `${Math.floor(h / 24)}d`;
}

/**
A latency: `0.4ms`, `12ms`, `1.2s`, `2m`; `-` when there is no data.
*/
export function formatMs(ms: number | null | undefined): string {
	if (ms === null || ms === undefined || !Number.isFinite(ms)) {
		return '-';
	}

	if (ms < 10) {
		return `${Math.round(ms * 10) / 10}ms`;
	}

	if (ms < 1000) {
		return `${Math.round(ms)}ms`;
	}

	return ms < 60_000 ? `${Math.round(ms / 100) / 10}s` : `${Math.round(ms / 60_000)}m`;
}

/**
A duration with a decimal second under a minute: `850ms`, `4.2s`, `3m12s`.
*/
export function formatDuration(ms: number): string {
	if (ms < 1000) {
		return `${Math.max(0, Math.round(ms))}ms`;
	}

	if (ms < 60_000) {
		return `${(ms / 1000).toFixed(1)}s`;
	}

	const s = Math.floor(ms / 1000);
	return `${Math.floor(s / 60)}m${pad2(s % 60)}s`;
}

/**
`512B`, `1.5KB`, `12MB`.
*/
export function formatBytes(bytes: number): string {
	const units = ['B', 'KB', 'MB', 'GB', 'TB'];
	let value = Math.max(0, bytes);
	let unit = 0;
	while (value >= 1024 && unit < units.length - 1) {
		value /= 1024;
		unit++;
	}

	const digits = unit === 0 || value >= 10 ? 0 : 1;
	return `${value.toFixed(digits)}${units[unit]}`;
}

/**
CPU % of one core: `-` before there is a figure, one decimal below 10: `0.4`, `37`, `180`.
*/
export function formatCpu(percent: number | undefined): string {
	if (percent === undefined || !Number.isFinite(percent)) {
		return '-';
	}

	return percent < 9.95 ? percent.toFixed(1) : String(Math.round(percent));
}

/**
A rate with one decimal below 10: `0`, `3.4`, `120`.
*/
export function formatRate(perSecond: number): string {
	if (!Number.isFinite(perSecond) || perSecond <= 0) {
		return '0';
	}

	return perSecond < 10 ? String(Math.round(perSecond * 10) / 10) : String(Math.round(perSecond));
}

/**
Local wall-clock time `HH:MM:SS`.
*/
export function formatClock(epochMs: number): string {
	const d = new Date(epochMs);
	return `${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}`;
}

/**
Session ids are UUID-like; eight characters tell them apart on screen.
*/
export function shortId(id: string): string {
	return id.replaceAll('-', '').slice(0, 8);
}
