import type {JsonRpcMessage} from '../jsonrpc.js';
import {CACHEABLE, META, ModernErrorCode} from './protocol.js';

/**
What mcpd learned from initializing a child: the basis of `server/discover` and of result hints.
*/
export type ChildProfile = {
	protocolVersion: string;
	capabilities: Record<string, unknown>;
	serverInfo: {name: string; version: string; [key: string]: unknown};
	instructions: string | undefined;
	/**
	The server maps request headers into its children's env: its answers may differ per user.
	*/
	perUser: boolean;
	/**
	`list_ttl` of the server, in ms.
	*/
	listTtlMs: number;
};

type Shaped = {status: number; result?: Record<string, unknown>; error?: JsonRpcMessage['error']};

/**
 A 2025 child's result in 2026-07-28 terms: `resultType`, the caching hints
 the revision requires, and the server's identity in `_meta`. Mutates the
 parsed result, which nobody else holds.
 */
export function shapeResult(method: string, message: JsonRpcMessage, profile: ChildProfile): Shaped {
	const result = (message.result ?? {}) as Record<string, unknown>;
	if (result.resultType === undefined) {
		result.resultType = 'complete';
	}

	if (CACHEABLE.has(method)) {
		Object.assign(result, cacheHints(method, profile), pick(result, ['ttlMs', 'cacheScope']));
	}

	const meta = result._meta;
	result._meta = meta !== null && typeof meta === 'object' ? {...meta, [META.serverInfo]: profile.serverInfo} : {[META.serverInfo]: profile.serverInfo};
	return {status: 200, result};
}

/**
 A child's error with the code and HTTP status the revision gives it: an
 unknown method is a 404, a missing capability a 400, and a missing resource
 is -32602 now (2025 servers say -32002).
 */
export function shapeError(method: string, message: JsonRpcMessage): Shaped {
	const error = {...message.error!};
	if (method === 'resources/read' && error.code === ModernErrorCode.legacyResourceNotFound) {
		error.code = ModernErrorCode.invalidParams;
	}

	const status = error.code === -32_601 ? 404 : (error.code === ModernErrorCode.missingRequiredClientCapability || error.code === ModernErrorCode.headerMismatch ? 400 : 200);
	return {status, error};
}

/**
 A fresh-for hint only where mcpd can stand behind it: a list whose child
 announces its changes (and so reaches listeners at once). Anything else is
 stale at once. Lists from children that get per-user env stay private.
 */
export function cacheHints(method: string, profile: ChildProfile): {ttlMs: number; cacheScope: 'public' | 'private'} {
	const kind = CACHEABLE.get(method);
	const capability = kind === undefined ? undefined : profile.capabilities[kind] as {listChanged?: boolean} | undefined;
	const announces = capability?.listChanged === true;
	return {
		ttlMs: announces ? profile.listTtlMs : 0,
		cacheScope: kind === undefined || profile.perUser ? 'private' : 'public',
	};
}

function pick(value: Record<string, unknown>, keys: string[]): Record<string, unknown> {
	const out: Record<string, unknown> = {};
	for (const key of keys) {
		if (value[key] !== undefined) {
			out[key] = value[key];
		}
	}

	return out;
}
