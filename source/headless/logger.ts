import {createWriteStream} from 'node:fs';
import type {LogConfig, LogLevel} from '../config/types.js';
import type {SupervisorPort} from '../core/port.js';
import {type Fields, formatLine, LEVELS} from './format.js';

export type LogWriter = {
	log(level: LogLevel, message: string, fields?: Fields): void;
};

/**
 Turns supervisor events into log lines: to `out` in headless mode, and to
 `log.file` in any mode. Per-request lines only at `debug`, where they are
 asked for: at thousands of calls a second they would cost more than the relay.
 */
export function attachLogger(port: SupervisorPort, config: LogConfig, out: ((line: string) => void) | undefined): LogWriter {
	const threshold = LEVELS[config.level];
	const sinks: Array<(line: string) => void> = [];
	if (out) {
		sinks.push(out);
	}

	if (config.file !== undefined) {
		const file = createWriteStream(config.file, {flags: 'a'});
		// A full disk or a bad path must not take mcpd down; the log is a convenience.
		file.on('error', () => {});
		sinks.push(line => {
			file.write(line + '\n');
		});
	}

	const log = (level: LogLevel, message: string, fields: Fields = {}): void => {
		if (LEVELS[level] < threshold || sinks.length === 0) {
			return;
		}

		const line = formatLine(config.format, new Date(), level, message, fields);
		for (const sink of sinks) {
			sink(line);
		}
	};

	const short = (id: string) => id.slice(0, 8);
	const {events} = port;
	events.on('log', ({level, message, fields}) => {
		log(level, message, fields);
	});
	events.on('session-opened', session => {
		log('info', 'session opened', {
			server: session.server, session: short(session.id), pid: session.pid, tag: session.tag,
		});
	});
	events.on('session-closed', ({id, server, reason, exitCode, signal, stderrTail}) => {
		const crashed = reason === 'crash' || reason === 'spawn-failed' || reason === 'start-timeout';
		log(crashed ? 'warn' : 'info', crashed ? 'session crashed' : 'session closed', {
			server,
			session: short(id),
			reason,
			exit: exitCode,
			signal,
			stderr: crashed ? stderrTail.slice(-5).join(' | ') : undefined,
		});
	});
	events.on('stderr', ({sessionId, server, line}) => {
		log('info', `[${server} ${short(sessionId)}] ${line}`);
	});
	events.on('stdout-noise', ({sessionId, server, line}) => {
		log('warn', 'non-JSON line on stdout skipped', {server, session: short(sessionId), line});
	});
	events.on('undeliverable', ({sessionId, server, method, reason}) => {
		log('warn', 'message from server not delivered', {
			server, session: short(sessionId), method, reason,
		});
	});
	if (threshold <= LEVELS.debug) {
		events.on('request-finished', ({sessionId, server, method, durationMs, outcome}) => {
			log('debug', 'request', {
				server, session: short(sessionId), method, ms: Math.round(durationMs * 100) / 100, outcome,
			});
		});
	} else {
		events.on('request-finished', ({sessionId, server, method, durationMs, outcome}) => {
			if (outcome === 'timeout' || outcome === 'crashed') {
				log('warn', `request ${outcome}`, {
					server, session: short(sessionId), method, ms: Math.round(durationMs),
				});
			}
		});
	}

	return {log};
}
