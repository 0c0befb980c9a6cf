import {OpenError, StartError} from '../core/errors.js';
import {ErrorCode} from '../core/jsonrpc.js';

export type Refusal = {
	status: number;
	code: number;
	message: string;
	data?: unknown;
	headers: Record<string, string>;
};

/**
 How a refused or failed child start reaches the client, for both eras:
 404 for an unknown server; 503 with Retry-After when mcpd will not start one
 now (capacity, quarantine, shutdown); 504 when the child let `start_timeout`
 pass (the gateway timed out on its upstream); 502 when it failed otherwise.
 Undefined for anything else: that is mcpd's own failure.
 */
export function refusalOf(error: unknown): Refusal | undefined {
	if (error instanceof OpenError) {
		return {
			status: error.code === 'unknown-server' ? 404 : 503,
			code: ErrorCode.busy,
			message: error.message,
			data: error.data,
			headers: error.retryAfter === undefined ? {} : {'retry-after': String(error.retryAfter)},
		};
	}

	if (error instanceof StartError) {
		const timeout = error.kind === 'timeout';
		return {
			status: timeout ? 504 : 502, code: timeout ? ErrorCode.requestTimeout : ErrorCode.serverExited, message: error.message, data: error.data, headers: {},
		};
	}

	return undefined;
}
