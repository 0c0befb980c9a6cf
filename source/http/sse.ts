import type {ServerResponse} from 'node:http';

export const SSE_HEADERS = {
	'content-type': 'text/event-stream',
	'cache-control': 'no-cache, no-transform',
	connection: 'keep-alive',
	// Proxies such as nginx would otherwise hold events back.
	'x-accel-buffering': 'no',
} as const;

/**
`raw` is one JSON-RPC message with no newlines, so one `data:` line carries it.
*/
export function writeEvent(response: ServerResponse, raw: string): boolean {
	if (raw.length < 65_536) {
		return response.write(`event: message\ndata: ${raw}\n\n`);
	}

	response.write('event: message\ndata: ');
	response.write(raw);
	return response.write('\n\n');
}

export function isOpen(response: ServerResponse): boolean {
	return !response.writableEnded && !response.destroyed;
}
