import type {IncomingHttpHeaders} from 'node:http';
import type {JsonRpcMessage} from '../../core/jsonrpc.js';
import {header} from '../protocol.js';

/**
Methods whose target is mirrored into `Mcp-Name`, and the param it mirrors.
*/
const NAMED: ReadonlyMap<string, 'name' | 'uri'> = new Map([
	['tools/call', 'name'],
	['prompts/get', 'name'],
	['resources/read', 'uri'],
]);

/**
Base64 with its padding, as the revision's encoding examples write it: unpadded values are malformed.
*/
const SENTINEL = /^=\?base64\?((?:[+/0-9A-Za-z]{4})*(?:[+/0-9A-Za-z]{2}==|[+/0-9A-Za-z]{3}=)?)\?=$/;

/**
 Checks the request metadata headers of a 2026-07-28 POST against its body:
 `MCP-Protocol-Version` equal to the `_meta` version, `Mcp-Method` to the
 method, `Mcp-Name` (decoded from its Base64 form) to `params.name` or
 `params.uri`. A load balancer may route on the headers while mcpd acts on
 the body, so they must agree. Returns what is wrong, or undefined.
 */
export function headerMismatch(headers: IncomingHttpHeaders, message: JsonRpcMessage, version: string): string | undefined {
	const sent = header(headers, 'mcp-protocol-version');
	if (sent === undefined) {
		return 'the MCP-Protocol-Version header is required';
	}

	if (sent !== version) {
		return `MCP-Protocol-Version header "${sent}" does not match _meta protocolVersion "${version}"`;
	}

	const method = header(headers, 'mcp-method');
	if (method === undefined) {
		return 'the Mcp-Method header is required';
	}

	if (method !== message.method) {
		return `Mcp-Method header "${method}" does not match body method "${message.method}"`;
	}

	const field = NAMED.get(method);
	if (field === undefined) {
		return undefined;
	}

	const raw = header(headers, 'mcp-name');
	if (raw === undefined) {
		return `the Mcp-Name header is required for ${method}`;
	}

	const wanted = message.params?.[field];

	const name = decodeHeaderValue(raw);
	if (name === undefined) {
		return 'Mcp-Name header must be printable ASCII, or Base64 in the =?base64?…?= form';
	}

	return name === wanted ? undefined : `Mcp-Name header "${raw}" does not match body ${field} ${JSON.stringify(wanted)}`;
}

/**
Printable ASCII: what a plain header value may hold; anything else travels Base64-encoded.
*/
const PLAIN = /^[\u0020-\u007E]*$/;

/**
A header value in plain ASCII or the `=?base64?…?=` form that carries anything else; undefined when malformed.
*/
export function decodeHeaderValue(raw: string): string | undefined {
	// Only both markers make the sentinel; a value with one of them is a literal.
	if (!raw.startsWith('=?base64?') || !raw.endsWith('?=') || raw.length < 11) {
		return PLAIN.test(raw) ? raw : undefined;
	}

	const match = SENTINEL.exec(raw);
	if (!match) {
		return undefined;
	}

	const bytes = Buffer.from(match[1], 'base64');
	// Bits past the last whole byte must be zero, or two spellings would decode alike.
	return bytes.toString('base64') === match[1] ? bytes.toString('utf8') : undefined;
}
