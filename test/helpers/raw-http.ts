/**
 HTTP/1.1 over a bare TCP socket, for what fetch cannot send or observe:
 malformed and oversized requests, senders that trickle bytes, the fate of
 one particular connection.
 */
import {connect, type Socket} from 'node:net';
import {waitFor} from './wait-for.js';

export type RawResponse = {
	status: number;
	/**
	Lower-cased names.
	*/
	headers: Record<string, string>;
	body: string;
	/**
	The body parsed as JSON, if it is JSON.
	*/
	json: any;
};

export class RawClient {
	readonly socket: Socket;
	/**
	Resolves when the socket has closed, from either side.
	*/
	readonly closed: Promise<void>;
	#received = '';
	#isClosed = false;
	#error: Error | undefined;

	private constructor(socket: Socket) {
		this.socket = socket;
		socket.setEncoding('utf8');
		socket.on('data', (chunk: string) => {
			this.#received += chunk;
		});
		// A reset or a write to a socket the server closed is an outcome the tests look at, not a failure.
		socket.on('error', error => {
			this.#error = error;
		});
		this.closed = new Promise(resolve => {
			socket.once('close', () => {
				this.#isClosed = true;
				resolve();
			});
		});
	}

	/**
	Connects to `base` (`http://host:port`); resolves once connected, or once the server has already closed it.
	*/
	static async open(base: string): Promise<RawClient> {
		const {hostname, port} = new URL(base);
		const client = new RawClient(connect(Number(port), hostname));
		await Promise.race([new Promise(resolve => client.socket.once('connect', resolve)), client.closed]);
		return client;
	}

	get isClosed(): boolean {
		return this.#isClosed;
	}

	get error(): Error | undefined {
		return this.#error;
	}

	/**
	Everything received and not yet taken by `response()`.
	*/
	get received(): string {
		return this.#received;
	}

	/**
	Whether the socket closes within `ms`.
	*/
	async closesWithin(ms: number): Promise<boolean> {
		let timer: NodeJS.Timeout | undefined;
		const timeout = new Promise<false>(resolve => {
			timer = setTimeout(resolve, ms, false);
		});
		const closed = await Promise.race([this.closed.then(() => true), timeout]);
		clearTimeout(timer);
		return closed;
	}

	write(text: string): void {
		if (!this.socket.destroyed) {
			this.socket.write(text);
		}
	}

	/**
	Sends a GET with keep-alive (HTTP/1.1's default) and waits for its whole answer.
	*/
	async get(path: string, headers: Record<string, string> = {}): Promise<RawResponse> {
		const lines = Object.entries({host: '127.0.0.1', ...headers}).map(([name, value]) => `${name}: ${value}\r\n`).join('');
		this.write(`GET ${path} HTTP/1.1\r\n${lines}\r\n`);
		return this.response();
	}

	/**
	Waits for the next complete response (it must have a Content-Length, or end with the connection) and takes it.
	*/
	async response(timeout = 5000): Promise<RawResponse> {
		const parsed = await waitFor(() => parse(this.#received, this.#isClosed), {timeout, message: `an HTTP response (got ${JSON.stringify(this.#received.slice(0, 200))})`});
		this.#received = this.#received.slice(parsed.length);
		return parsed.response;
	}

	close(): void {
		this.socket.destroy();
	}
}

function parse(text: string, ended: boolean): {response: RawResponse; length: number} | undefined {
	const end = text.indexOf('\r\n\r\n');
	if (end === -1) {
		return undefined;
	}

	const [statusLine, ...lines] = text.slice(0, end).split('\r\n');
	const headers: Record<string, string> = {};
	for (const line of lines) {
		const colon = line.indexOf(':');
		headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
	}

	const declared = headers['content-length'];
	let bodyEnd: number;
	if (declared === undefined) {
		if (!ended) {
			return undefined;
		}

		bodyEnd = text.length;
	} else {
		// Content-Length counts bytes; the bodies here are ASCII, so characters are bytes.
		bodyEnd = end + 4 + Number(declared);
		if (text.length < bodyEnd) {
			return undefined;
		}
	}

	const body = text.slice(end + 4, bodyEnd);
	let json: unknown;
	try {
		json = JSON.parse(body);
	} catch {}

	return {
		response: {
			status: Number(statusLine.split(' ', 2)[1]), headers, body, json,
		}, length: bodyEnd,
	};
}
