/**
 Turns what the SDK throws (transport errors with mcpd's JSON-RPC error body
 inside the message, McpErrors, fetch failures) into an `AgentOutcome`.
 */
import {StreamableHTTPError} from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import {ErrorCode as SdkErrorCode, McpError} from '@modelcontextprotocol/sdk/types.js';
import {ErrorCode} from '../core/jsonrpc.js';
import {type AgentOutcome, isRecord} from './outcome.js';

export type RpcError = {
	code: number;
	message: string;
	data?: unknown;
};

/**
The JSON-RPC error mcpd put in an HTTP error body; the SDK only keeps it as text in the message.
*/
export function httpRpcError(error: StreamableHTTPError): RpcError | undefined {
	const start = error.message.indexOf('{');
	if (start === -1) {
		return undefined;
	}

	try {
		const body = JSON.parse(error.message.slice(start)) as unknown;
		const rpc = isRecord(body) ? body.error : undefined;
		if (isRecord(rpc) && typeof rpc.code === 'number' && typeof rpc.message === 'string') {
			return {code: rpc.code, message: rpc.message, data: rpc.data};
		}
	} catch {}

	return undefined;
}

/**
A 404 on a request that carried a session id: the session expired or its child died.
*/
export function isSessionGone(error: unknown): error is StreamableHTTPError {
	return error instanceof StreamableHTTPError && error.code === 404;
}

/**
 The session a 404 was about, when there was one. A 404 to `initialize` has
 none: that is mcpd refusing (unknown server), not a session that ended.
 */
export function goneSessionOf(error: unknown): string | undefined {
	return isSessionGone(error) ? (error as {sessionId?: string}).sessionId : undefined;
}

export function markGoneSession(error: unknown, sessionId: string | undefined): void {
	if (sessionId !== undefined && isSessionGone(error)) {
		Object.assign(error, {sessionId});
	}
}

/**
The child's last stderr lines, as mcpd attaches them to the error of a request its child died under.
*/
export function stderrOfError(error: unknown): string[] | undefined {
	const data = error instanceof McpError ? error.data : (error instanceof StreamableHTTPError ? httpRpcError(error)?.data : undefined);
	return !isRecord(data) || !Array.isArray(data.stderr) ? undefined : data.stderr.filter((line): line is string => typeof line === 'string');
}

/**
Without the SDK's `MCP error -32000: ` prefix, which says nothing to a person.
*/
function plainMessage(error: McpError): string {
	return error.message.replace(/^MCP error -?\d+: /, '');
}

/**
What undici throws when no HTTP answer came at all (refused, unknown host, reset).
*/
export function isUnreachable(error: unknown): boolean {
	return error instanceof TypeError && error.message === 'fetch failed';
}

/**
`base` names mcpd in messages.
*/
export function failureOf(error: unknown, base: string): AgentOutcome {
	if (isUnreachable(error)) {
		const cause = (error as Error).cause as {code?: string; message?: string} | undefined;
		const why = cause?.code ?? cause?.message;
		return {kind: 'failed', cause: 'unreachable', message: `cannot reach mcpd at ${base}${why ? ` (${why})` : ''}`};
	}

	if (error instanceof StreamableHTTPError) {
		const rpc = httpRpcError(error);
		const stderr = stderrOfError(error);
		const message = rpc?.message ?? error.message;
		if (stderr !== undefined || rpc?.code === ErrorCode.serverExited) {
			return {
				kind: 'failed', cause: 'crashed', message, stderr,
			};
		}

		if (error.code === 401 || rpc?.code === ErrorCode.unauthorized) {
			return {kind: 'failed', cause: 'refused', message: `${message} (pass --token, or set MCPD_TOKEN)`};
		}

		const status = error.code ?? -1;
		return {kind: 'failed', cause: status >= 400 && status < 600 ? 'refused' : 'error', message: `mcpd answered ${status}: ${message}`};
	}

	if (error instanceof McpError) {
		const message = plainMessage(error);
		// Both the SDK's own timeout and mcpd's request_timeout use -32001.
		if (error.code === SdkErrorCode.RequestTimeout) {
			return {kind: 'timeout', message};
		}

		return error.code === ErrorCode.serverExited
			? {
				kind: 'failed', cause: 'crashed', message, stderr: stderrOfError(error),
			}
			: {kind: 'failed', cause: 'error', message: `${message} (JSON-RPC error ${error.code})`};
	}

	return {kind: 'failed', cause: 'error', message: error instanceof Error ? error.message : String(error)};
}
