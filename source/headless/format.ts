import type {LogFormat, LogLevel} from '../config/types.js';

export const LEVELS: Record<LogLevel, number> = {
	debug: 10, info: 20, warn: 30, error: 40,
};

export type Fields = Record<string, unknown>;

/**
One log line: `TIME LEVEL message key=value...` or a JSON object.
*/
export function formatLine(format: LogFormat, time: Date, level: LogLevel, message: string, fields: Fields): string {
	if (format === 'json') {
		return JSON.stringify({
			time: time.toISOString(), level, msg: message, ...fields,
		});
	}

	let line = `${time.toISOString()} ${level.padEnd(5)} ${message}`;
	for (const [key, value] of Object.entries(fields)) {
		if (value === undefined) {
			continue;
		}

		line += ` ${key}=${formatValue(value)}`;
	}

	return line;
}

function formatValue(value: unknown): string {
	const text = typeof value === 'string' ? value : JSON.stringify(value);
	return /^[^\s"=]+$/.test(text) ? text : JSON.stringify(text);
}
