import type {FastifyInstance} from 'fastify';

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
export function jsonBody(app: FastifyInstance, bodyLimit: number): void {
	app.removeAllContentTypeParsers();
	app.addContentTypeParser('application/json', {parseAs: 'string', bodyLimit}, (_request, body: string, done) => {
		const text = body;
		if (text.trim() === '') {
			done(new JsonParseError('empty body', true), undefined);
			return;
		}

		let value: unknown;
		try {
			value = JSON.parse(text);
		} catch (error) {
			done(new JsonParseError(`Parse error: ${(error as Error).message}`), undefined);
			return;
		}

		const raw = text.includes('\n') || text.includes('\r') ? text.replaceAll(/[\n\r]+/g, ' ') : text;
		done(null, {raw, value} satisfies ParsedBody);
	});
}
