/**
 Just enough JSON-RPC typing for routing. Messages are relayed as the raw text
 they arrived in; the parsed form is only read, never re-serialised.
 */

export type JsonRpcId = string | number;

export type JsonRpcMessage = {
	jsonrpc?: string;
	id?: JsonRpcId | null;
	method?: string;
	params?: {_meta?: {progressToken?: JsonRpcId}; [key: string]: unknown};
	result?: {isError?: boolean; [key: string]: unknown};
	error?: {code: number; message: string; data?: unknown};
};

/**
JSON-RPC error codes mcpd itself produces.
*/
export const ErrorCode = {
	parseError: -32_700,
	invalidRequest: -32_600,
	methodNotFound: -32_601,
	internalError: -32_603,
	/**
	Same code the SDK uses for its own request timeouts, so clients treat ours alike.
	*/
	requestTimeout: -32_001,
	/**
	Implementation-defined server errors (-32000..-32099).
	*/
	serverExited: -32_000,
	noSession: -32_002,
	unauthorized: -32_003,
	forbidden: -32_004,
	busy: -32_005,
} as const;

export function errorResponse(id: JsonRpcId | null | undefined, code: number, message: string, data?: unknown): string {
	const error: Record<string, unknown> = {code, message};
	if (data !== undefined) {
		error.data = data;
	}

	const body: Record<string, unknown> = {jsonrpc: '2.0'};
	if (id !== undefined) {
		body.id = id;
	}

	body.error = error;
	return JSON.stringify(body);
}
