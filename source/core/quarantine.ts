import type {ServerConfig} from '../config/types.js';
import {OpenError} from './errors.js';
import type {CoreEvents, StartFailure} from './events.js';

/**
A quarantined server's record, as `ServerHealth.snapshot` gives it.
*/
export type QuarantineRecord = {
	failures: number;
	retryAt: number;
	lastFailure: StartFailure | undefined;
};

/**
 What a client gets while the server is quarantined: 503 with Retry-After,
 and in `error.data` what it or its user can act on: the command (never the
 args, which may carry a key), the last failure and its last stderr lines.
 */
export function quarantineRefusal(server: ServerConfig, record: QuarantineRecord, now: number): OpenError {
	const {failures, retryAt, lastFailure} = record;
	const seconds = Math.max(1, Math.ceil((retryAt - now) / 1000));
	const last = lastFailure === undefined ? '' : `; the last child ${lastFailure.reason}`;
	const message = `server "${server.name}" is quarantined after repeated failed starts (${failures} within crash_window ${server.crashWindowMs / 1000} s)${last}; retry in ${seconds} s`;
	return new OpenError('quarantined', message, seconds, {
		server: server.name,
		state: 'quarantined',
		command: server.command,
		failures,
		retryAt,
		lastFailure: lastFailure?.reason,
		stderr: lastFailure?.stderr ?? [],
	});
}

/**
The one warning a quarantine is worth in the log.
*/
export function quarantineWarning(server: ServerConfig, record: QuarantineRecord, now: number): CoreEvents['log'][0] {
	const {failures, retryAt, lastFailure} = record;
	return {
		level: 'warn',
		message: 'server quarantined',
		fields: {
			server: server.name,
			failures,
			window: `${server.crashWindowMs / 1000}s`,
			retryIn: `${Math.round((retryAt - now) / 100) / 10}s`,
			command: server.command,
			last: lastFailure?.reason,
			stderr: lastFailure?.stderr.slice(-3).join(' | '),
		},
	};
}
