import type {IncomingHttpHeaders} from 'node:http';
import {header} from '../protocol.js';
import {decodeHeaderValue} from './headers.js';

/**
One tool argument mirrored into a header: `Mcp-Param-{name}` carries the value at `path`.
*/
type Mirrored = {
	header: string;
	name: string;
	path: string[];
};

/**
Nested schemas are walked this deep at most; annotations below it are not looked for.
*/
const MAX_DEPTH = 8;

/**
 Which tool arguments a 2026 client mirrors into `Mcp-Param-*` headers,
 learned from the `tools/list` results that pass through (the tool's
 `x-mcp-header` annotations). Kept per server, not per identity, so memory
 stays bounded by the servers' tools however many users come and go.
 With that known, a `tools/call` whose headers disagree with its body is
 refused: a balancer may route on the header while the child acts on the body.
 */
export class ParamHeaders {
	readonly #tools = new Map<string, Map<string, Mirrored[]>>();

	/**
	Remembers the annotations of a `tools/list` page.
	*/
	learn(server: string, tools: unknown): void {
		if (!Array.isArray(tools)) {
			return;
		}

		let known = this.#tools.get(server);
		for (const tool of tools as Array<{name?: unknown; inputSchema?: unknown}>) {
			if (typeof tool?.name !== 'string') {
				continue;
			}

			const mirrored: Mirrored[] = [];
			collect(tool.inputSchema, [], mirrored, 0);
			if (mirrored.length === 0 && !known?.has(tool.name)) {
				continue;
			}

			known ??= new Map();
			this.#tools.set(server, known);
			if (mirrored.length === 0) {
				known.delete(tool.name);
			} else {
				known.set(tool.name, mirrored);
			}
		}
	}

	/**
	What is wrong with the call's `Mcp-Param-*` headers, or undefined.
	*/
	mismatch(server: string, headers: IncomingHttpHeaders, tool: unknown, args: unknown): string | undefined {
		const mirrored = typeof tool === 'string' ? this.#tools.get(server)?.get(tool) : undefined;
		if (!mirrored) {
			return undefined;
		}

		for (const {header: name, name: label, path} of mirrored) {
			const raw = header(headers, name);
			const value = valueAt(args, path);
			if (value === undefined || value === null) {
				continue;
			}

			if (raw === undefined) {
				return `the Mcp-Param-${label} header is required: the body sets ${path.join('.')}`;
			}

			const decoded = decodeHeaderValue(raw);
			if (decoded === undefined) {
				return `Mcp-Param-${label} must be printable ASCII, or Base64 in the =?base64?…?= form`;
			}

			if (!same(decoded, value)) {
				return `Mcp-Param-${label} header does not match body ${path.join('.')}`;
			}
		}

		return undefined;
	}
}

function collect(schema: unknown, path: string[], out: Mirrored[], depth: number): void {
	if (typeof schema !== 'object' || schema === null || depth > MAX_DEPTH) {
		return;
	}

	const {properties} = (schema as {properties?: unknown});
	if (properties === null || typeof properties !== 'object') {
		return;
	}

	for (const [key, property] of Object.entries(properties as Record<string, unknown>)) {
		if (property === null || typeof property !== 'object') {
			continue;
		}

		const name = (property as Record<string, unknown>)['x-mcp-header'];
		if (typeof name === 'string' && /^[\w!#$%&'*+\-.^`|~]+$/.test(name)) {
			out.push({header: `mcp-param-${name.toLowerCase()}`, name, path: [...path, key]});
		}

		collect(property, [...path, key], out, depth + 1);
	}
}

function valueAt(value: unknown, path: string[]): unknown {
	let current = value;
	for (const key of path) {
		if (current === null || typeof current !== 'object') {
			return undefined;
		}

		current = (current as Record<string, unknown>)[key];
	}

	return current;
}

/**
Numbers compare as numbers (`42.0` is `42`), booleans as `true`/`false`.
*/
function same(text: string, value: unknown): boolean {
	if (typeof value === 'string') {
		return text === value;
	}

	if (typeof value === 'number') {
		return text.trim() !== '' && Number(text) === value;
	}

	return typeof value === 'boolean' ? text === String(value) : false;
}
