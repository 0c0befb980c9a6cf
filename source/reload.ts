import {watch} from 'node:fs';
import {ConfigError} from './config/errors.js';
import type {Config} from './config/types.js';
import {commandProblems} from './core/command-check.js';
import type {Supervisor} from './core/supervisor.js';

/**
Editors write a file in several steps; one reload after they settle.
*/
const SETTLE_MS = 250;

/**
 Reads the config again and applies it. A config that does not load is
 rejected with its `file:line` error and the running one keeps serving;
 either way the log (headless and the dashboard's) says what happened.
 */
export function reloadConfig(supervisor: Supervisor, read: (() => Config) | undefined, why: string): void {
	const log = (level: 'info' | 'warn' | 'error', message: string, fields: Record<string, unknown>) => {
		supervisor.events.emit('log', {level, message, fields});
	};

	if (read === undefined) {
		log('warn', 'nothing to reload: mcpd was not started from a config file', {why});
		return;
	}

	let next: Config;
	try {
		next = read();
	} catch (error) {
		if (!(error instanceof ConfigError)) {
			throw error;
		}

		log('error', 'config reload rejected; the running config stays', {why, error: error.message});
		return;
	}

	const diff = supervisor.reload(next);
	const none = (list: string[]) => (list.length === 0 ? '-' : list.join(','));
	log('info', 'config reloaded', {
		why, source: next.source, added: none(diff.added), removed: none(diff.removed), changed: none(diff.changed),
	});
	if (diff.needRestart.length > 0) {
		log('warn', 'these settings apply only after a restart', {settings: diff.needRestart.join(',')});
	}

	const touched = new Set([...diff.added, ...diff.changed]);
	for (const problem of commandProblems(next.servers.filter(server => touched.has(server.name)), process.env)) {
		log('warn', `command ${problem.why}`, {server: problem.server, command: problem.command});
	}
}

/**
Calls `onChange` once the file has stopped changing; watches the directory so a replaced file is still seen.
*/
export function watchConfig(file: string, onChange: () => void): void {
	let timer: NodeJS.Timeout | undefined;
	const path = file.replaceAll('\\', '/');
	const slash = path.lastIndexOf('/');
	const directory = slash === -1 ? '.' : path.slice(0, slash) || '/';
	const name = path.slice(slash + 1);
	const watcher = watch(directory, (_event, changed) => {
		if (changed !== null && changed !== name) {
			return;
		}

		clearTimeout(timer);
		timer = setTimeout(onChange, SETTLE_MS);
		timer.unref();
	});
	watcher.unref();
}
