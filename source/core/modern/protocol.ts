/**
 What the 2026-07-28 revision fixes on the wire, as far as mcpd's modern
 front needs it: the `_meta` keys, the revisions served, the error codes and
 which requests may be answered with an `InputRequiredResult`.
 */

export const MODERN_VERSIONS = ['2026-07-28'] as const;

export const META = {
	protocolVersion: 'io.modelcontextprotocol/protocolVersion',
	clientInfo: 'io.modelcontextprotocol/clientInfo',
	clientCapabilities: 'io.modelcontextprotocol/clientCapabilities',
	logLevel: 'io.modelcontextprotocol/logLevel',
	subscriptionId: 'io.modelcontextprotocol/subscriptionId',
	serverInfo: 'io.modelcontextprotocol/serverInfo',
	/**
	 Mcpd's own key: a child may name the `inputRequests` key its request
	 should travel under (a 2025 request has no such field); stripped before
	 the client sees the request.
	 */
	inputKey: 'mcpd/inputKey',
} as const;

export const ModernErrorCode = {
	headerMismatch: -32_020,
	missingRequiredClientCapability: -32_021,
	unsupportedProtocolVersion: -32_022,
	invalidParams: -32_602,
	/**
	2025 servers answer a missing resource with this; the 2026 revision forbids it in favour of -32602.
	*/
	legacyResourceNotFound: -32_002,
} as const;

/**
The only requests a server may answer with `input_required`.
*/
export const INPUT_CAPABLE_METHODS = new Set(['tools/call', 'prompts/get', 'resources/read']);

/**
A child's request to its client, and the client capability it needs.
*/
export const INPUT_METHODS: ReadonlyMap<string, 'elicitation' | 'sampling' | 'roots'> = new Map([
	['elicitation/create', 'elicitation'],
	['sampling/createMessage', 'sampling'],
	['roots/list', 'roots'],
]);

/**
Results that must carry caching hints, and the child capability whose `listChanged` lets mcpd vouch for them.
*/
export const CACHEABLE: ReadonlyMap<string, 'tools' | 'prompts' | 'resources' | undefined> = new Map([
	['tools/list', 'tools'],
	['prompts/list', 'prompts'],
	['resources/list', 'resources'],
	['resources/templates/list', 'resources'],
	['resources/read', undefined],
]);

/**
Methods of the 2025 revisions that this one removed: a modern request for them is an unknown method.
*/
export const REMOVED_METHODS = new Set([
	'initialize',
	'ping',
	'logging/setLevel',
	'resources/subscribe',
	'resources/unsubscribe',
	'tasks/get',
	'tasks/result',
	'tasks/list',
	'tasks/cancel',
]);

export const LOG_LEVELS = ['debug', 'info', 'notice', 'warning', 'error', 'critical', 'alert', 'emergency'] as const;

/**
Index of a log level, or -1 when it is not one.
*/
export function levelIndex(level: unknown): number {
	return typeof level === 'string' ? (LOG_LEVELS as readonly string[]).indexOf(level) : -1;
}

export type ClientContext = {
	/**
	The request's `io.modelcontextprotocol/clientCapabilities`.
	*/
	capabilities: Record<string, unknown>;
	/**
	Index into LOG_LEVELS; -1: the client wants no log messages for this request.
	*/
	logLevel: number;
	clientName: string | undefined;
};
