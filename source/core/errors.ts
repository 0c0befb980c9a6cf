/**
Why the supervisor refused to open a session; the HTTP layer maps `code` to a status.
*/
export type OpenErrorCode = 'unknown-server' | 'disabled' | 'capacity' | 'shutting-down' | 'quarantined';

export class OpenError extends Error {
	readonly code: OpenErrorCode;
	/**
	Seconds a client should wait before trying again (capacity, quarantine).
	*/
	readonly retryAfter: number | undefined;
	/**
	What the client may see of the cause, as JSON-RPC `error.data` (a quarantine's last stderr lines).
	*/
	readonly data: unknown;

	constructor(code: OpenErrorCode, message: string, retryAfter?: number, data?: unknown) {
		super(message);
		this.name = 'OpenError';
		this.code = code;
		this.retryAfter = retryAfter;
		this.data = data;
	}
}

/**
 A child mcpd started for a modern identity did not come up: it timed out
 on `initialize`, answered it with an error, or exited first.
 */
export class StartError extends Error {
	readonly kind: 'timeout' | 'failed';
	/**
	Server, command and the child's last stderr lines, for `error.data`.
	*/
	readonly data: unknown;

	constructor(kind: 'timeout' | 'failed', message: string, data: unknown) {
		super(message);
		this.name = 'StartError';
		this.kind = kind;
		this.data = data;
	}
}

/**
 Not a refusal: the server is backing off after failed starts, so a new
 child must wait `waitMs` (or until the server's health changes). Never
 leaves the core: the supervisor and the modern pool wait and try again.
 */
export class StartDelay extends Error {
	readonly waitMs: number;

	constructor(waitMs: number) {
		super(`start delayed ${waitMs} ms`);
		this.name = 'StartDelay';
		this.waitMs = waitMs;
	}
}
