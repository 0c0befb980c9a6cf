/**
Raw HTTP against a running mcpd, for tests that check the wire itself.
*/

export type Reply = {
	status: number;
	headers: Headers;
	/**
	The body parsed as JSON, or undefined when it is not JSON.
	*/
	body: any;
	text: string;
};

export async function fetchReply(base: string, path: string, init: RequestInit = {}): Promise<Reply> {
	const response = await fetch(new URL(path, base), init);
	const text = await response.text();
	let body: unknown;
	try {
		body = JSON.parse(text);
	} catch {
		body = undefined;
	}

	return {
		status: response.status, headers: response.headers, body, text,
	};
}
