/** Why the supervisor refused to open a session; the HTTP layer maps `code` to a status. */
export type OpenErrorCode = 'unknown-server' | 'disabled' | 'capacity' | 'shutting-down';

export class OpenError extends Error {
	readonly code: OpenErrorCode;
	/** Seconds a client should wait before trying again (capacity only). */
	readonly retryAfter: number | undefined;

	constructor(code: OpenErrorCode, message: string, retryAfter?: number) {
		super(message);
		this.name = 'OpenError';
		this.code = code;
		this.retryAfter = retryAfter;
	}
}
