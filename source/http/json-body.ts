import type {FastifyInstance} from 'fastify';
import {ErrorCode} from '../core/jsonrpc.js';

/**
The body as text (relayed to the child unchanged) and parsed (read for routing).
*/
export type ParsedBody = {
	raw: string;
	value: unknown;
};

export class JsonParseError extends Error {
	readonly statusCode = 400;
	readonly code: 'MCPD_JSON_PARSE' | 'FST_ERR_CTP_EMPTY_JSON_BODY';

	constructor(message: string, empty = false) {
		super(message);
		this.code = empty ? 'FST_ERR_CTP_EMPTY_JSON_BODY' : 'MCPD_JSON_PARSE';
	}
}

/**
 Keeps the request text so the relay writes it to the child as it came,
 without re-serialising. Newlines outside strings are only whitespace in
 JSON (inside strings they must be escaped), so folding them keeps one
 message per stdio line without changing its meaning.
 */
export function parseBody(text: string): ParsedBody {
	if (text.trim() === '') {
		throw new JsonParseError('empty body', true);
	}

	let value: unknown;
	try {
		value = JSON.parse(text);
	} catch (error) {
		throw new JsonParseError(`Parse error: ${(error as Error).message}`);
	}

	const raw = text.includes('\n') || text.includes('\r') ? text.replaceAll(/[\n\r]+/g, ' ') : text;
	return {raw, value};
}

/**
The status, JSON-RPC code and message that answer a body `parseBody` refused.
*/
export function bodyRefusal(error: JsonParseError): [number, number, string] {
	return error.code === 'MCPD_JSON_PARSE' ? [400, ErrorCode.parseError, error.message] : [400, ErrorCode.invalidRequest, 'Bad Request: empty body'];
}

export function jsonBody(app: FastifyInstance, bodyLimit: number): void {
	app.removeAllContentTypeParsers();
	app.addContentTypeParser('application/json', {parseAs: 'string', bodyLimit}, (_request, body: string, done) => {
		let parsed: ParsedBody;
		try {
			parsed = parseBody(body);
		} catch (error) {
			done(error as JsonParseError, undefined);
			return;
		}

		done(null, parsed);
	});
}
