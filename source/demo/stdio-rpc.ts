/**
 Newline-delimited JSON-RPC on this process's stdin and stdout, with nothing
 but Node: the demo server is spawned for every demo session, and loading an
 MCP SDK for it would cost more than the rest of its start-up together.
 */

export type Id = string | number;

export type Incoming = {
	id?: Id | null;
	method?: unknown;
	params?: Record<string, unknown>;
};

export type RpcHandlers = {
	/**
	One parsed message (request, notification, or something else to ignore).
	*/
	message(message: Incoming): void;
	/**
	A line that is not JSON.
	*/
	garbage(error: Error): void;
	/**
	Stdin ended or stdout went away: nobody is left to answer.
	*/
	closed(): void;
};

export function send(message: unknown): void {
	process.stdout.write(`${JSON.stringify(message)}\n`);
}

export function reply(id: Id, result: unknown): void {
	send({jsonrpc: '2.0', id, result});
}

export function fail(id: Id | null, code: number, message: string): void {
	send({jsonrpc: '2.0', id, error: {code, message}});
}

export function notify(method: string, params: unknown): void {
	send({jsonrpc: '2.0', method, params});
}

/**
Reads messages until stdin ends; returns a function that stops listening.
*/
export function serveStdio(handlers: RpcHandlers): () => void {
	let partial = '';
	const onData = (chunk: string) => {
		let start = 0;
		let newline = chunk.indexOf('\n');
		while (newline !== -1) {
			const line = partial + chunk.slice(start, newline);
			partial = '';
			onLine(line);
			start = newline + 1;
			newline = chunk.indexOf('\n', start);
		}

		partial += chunk.slice(start);
	};

	const onLine = (line: string) => {
		const text = line.trim();
		if (text === '') {
			return;
		}

		let message: unknown;
		try {
			message = JSON.parse(text);
		} catch (error) {
			handlers.garbage(error as Error);
			return;
		}

		// Batches (2025-03-26) are taken one message at a time.
		for (const item of Array.isArray(message) ? message as unknown[] : [message]) {
			if (typeof item === 'object' && item !== null) {
				handlers.message(item);
			}
		}
	};

	const onEnd = () => {
		handlers.closed();
	};

	process.stdin.setEncoding('utf8');
	process.stdin.on('data', onData);
	process.stdin.once('end', onEnd);
	// EPIPE: the reader went away.
	process.stdout.on('error', onEnd);
	return () => {
		process.stdin.off('data', onData);
		process.stdin.off('end', onEnd);
		process.stdout.off('error', onEnd);
		process.stdin.pause();
	};
}
