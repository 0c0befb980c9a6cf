import type {ServerResponse} from 'node:http';

export type FlowLimits = {
	/**
	Bytes a notification stream may leave unread before it is closed.
	*/
	maxBuffered: number;
	/**
	How long an answer stream may stay full before it is closed.
	*/
	stallTimeoutMs: number;
};

const held = new WeakSet<ServerResponse>();

/**
 After a write to a request's answer stream: when the socket's buffer is
 full, stop reading the child (`hold`) until the client drains it, so memory
 stays bounded by one message. A client that never drains loses the stream
 after `stallTimeoutMs`; `onStall` says why.
 */
export function holdWhileFull(response: ServerResponse, hold: () => () => void, limits: FlowLimits, onStall: () => void): void {
	if (!response.writableNeedDrain || held.has(response) || response.destroyed) {
		return;
	}

	held.add(response);
	const release = hold();
	const done = () => {
		clearTimeout(timer);
		held.delete(response);
		response.off('drain', done);
		response.off('finish', done);
		response.off('close', done);
		release();
	};

	const timer = setTimeout(() => {
		onStall();
		response.destroy();
	}, limits.stallTimeoutMs);
	timer.unref();
	response.once('drain', done);
	// An answer already ended emits no drain: it is off our hands once flushed.
	response.once('finish', done);
	response.once('close', done);
}

/**
 After a write to a notification stream (GET, listen): such a stream carries
 no answer anyone waits for, so it must never hold the child. Past
 `maxBuffered` unread bytes it is closed instead; the client can open it again.
 Returns false when it was closed.
 */
export function dropWhenOverfull(response: ServerResponse, limits: FlowLimits, onDrop: (buffered: number) => void): boolean {
	const buffered = response.writableLength;
	if (buffered <= limits.maxBuffered) {
		return true;
	}

	onDrop(buffered);
	response.destroy();
	return false;
}
