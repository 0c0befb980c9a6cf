// A lean HTTP/1.1 client for the load generator: keep-alive connections, one
// request at a time on each, responses framed by Content-Length, chunked
// transfer coding, or the connection's close.
//
// Why not node:http: its client spends ~100 µs of CPU per call on this 2-core
// machine (undici ~70), as much as the proxy under test, and the load
// generator shares the cores with the proxies. The floor's client (stdio-bench)
// spends ~20. A load generator should be the cheapest process in the run, as
// wrk or h2load are; this one spends ~30 µs a call, for every proxy alike.
import net from 'node:net';

const CRLF_CRLF = Buffer.from('\r\n\r\n');

export class HttpError extends Error {
	constructor(type, detail) {
		super(detail);
		this.type = type;
	}
}

/**
 One keep-alive connection. `start` sends a request; the handlers get the
 status and headers, then the body's bytes as they come, then its end.
 */
class Connection {
	handlers;
	closed = false;
	noBody = false;
	pending; // Bytes of an unfinished head or chunk-size line
	head = true; // Reading the status line and headers
	framing; // 'length', 'chunked' or 'close'
	left = 0; // Bytes left in the body or the chunk
	chunkState = 'size';
	keepAlive = true;

	constructor(pool) {
		this.pool = pool;
		this.socket = net.connect({host: pool.host, port: pool.port});
		this.socket.setNoDelay(true);
		this.socket.on('data', chunk => {
			this.feed(chunk);
		});
		this.socket.on('error', error => {
			this.fail(new HttpError(`net_${error.code || 'error'}`, error.message));
		});
		this.socket.on('close', () => {
			this.closed = true;
			this.pool.forget(this);
			if (this.handlers && !this.head && this.framing === 'close') {
				this.finish();
			} else {
				this.fail(new HttpError('net_closed', 'the server closed the connection before the answer ended'));
			}
		});
	}

	reset() {
		this.pending = undefined;
		this.head = true;
		this.framing = undefined;
		this.left = 0;
		this.chunkState = 'size';
		this.keepAlive = true;
	}

	start(request, handlers) {
		this.handlers = handlers;
		this.reset();
		this.socket.write(request);
	}

	fail(error) {
		const {handlers} = this;
		this.handlers = undefined;
		handlers?.error(error);
	}

	finish() {
		const {handlers} = this;
		this.handlers = undefined;
		if (this.keepAlive && !this.closed) {
			this.pool.release(this);
		} else {
			this.socket.destroy();
		}

		handlers?.end();
	}

	feed(chunk) {
		if (!this.handlers) {
			return; // Bytes after an answer that ended: the server is confused; nobody waits for them
		}

		if (this.head) {
			const bytes = this.pending ? Buffer.concat([this.pending, chunk]) : chunk;
			const end = bytes.indexOf(CRLF_CRLF);
			if (end === -1) {
				this.pending = bytes;
				return;
			}

			this.pending = undefined;
			if (!this.readHead(bytes.latin1Slice(0, end))) {
				this.feed(bytes.subarray(end + 4)); // An interim 1xx answer: the real one follows
				return;
			}

			this.head = false;
			chunk = bytes.subarray(end + 4);
			if (this.framing === 'length' && this.left === 0) {
				this.finish();
				return;
			}
		}

		if (chunk.length > 0) {
			this.body(chunk);
		}
	}

	/**
	 Reads the status line and headers; false for an interim (1xx) answer.
	 @param text
	 */
	readHead(text) {
		const lines = text.split('\r\n');
		const status = Number(lines[0].slice(9, 12));
		if (status >= 100 && status < 200) {
			return false;
		}

		const headers = {};
		for (let index = 1; index < lines.length; index++) {
			const line = lines[index];
			const colon = line.indexOf(':');
			const name = line.slice(0, colon).trim().toLowerCase();
			const value = line.slice(colon + 1).trim();
			headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`;
		}

		if (headers.connection?.toLowerCase() === 'close' || lines[0].startsWith('HTTP/1.0')) {
			this.keepAlive = false;
		}

		if (this.noBody || status === 204 || status === 304) {
			this.framing = 'length';
			this.left = 0;
		} else if (headers['transfer-encoding']?.toLowerCase().includes('chunked')) {
			this.framing = 'chunked';
		} else if (headers['content-length'] === undefined) {
			this.framing = 'close';
			this.keepAlive = false;
		} else {
			this.framing = 'length';
			this.left = Number(headers['content-length']);
		}

		this.handlers.head(status, headers);
		return true;
	}

	body(chunk) {
		if (this.framing === 'close') {
			this.handlers.data(chunk);
		} else if (this.framing === 'length') {
			const take = Math.min(this.left, chunk.length);
			this.left -= take;
			this.handlers.data(take === chunk.length ? chunk : chunk.subarray(0, take));
			if (this.left === 0) {
				this.finish();
			}
		} else {
			this.chunked(chunk);
		}
	}

	/**
	 Chunked transfer coding: a hex size line, that many bytes and CRLF, again,
	 until a size of 0 and the (here ignored) trailers with their empty line.
	 @param chunk
	 */
	chunked(chunk) {
		let at = 0;
		while (at < chunk.length && this.handlers) {
			if (this.chunkState === 'data') {
				const take = Math.min(this.left, chunk.length - at);
				this.handlers.data(chunk.subarray(at, at + take));
				this.left -= take;
				at += take;
				if (this.left === 0) {
					this.chunkState = 'crlf';
					this.left = 2;
				}

				continue;
			}

			if (this.chunkState === 'crlf') {
				const take = Math.min(this.left, chunk.length - at);
				this.left -= take;
				at += take;
				if (this.left === 0) {
					this.chunkState = 'size';
				}

				continue;
			}

			// 'size' or 'trailer': one line at a time
			const newline = chunk.indexOf(10, at);
			if (newline === -1) {
				this.pending = this.pending ? Buffer.concat([this.pending, chunk.subarray(at)]) : chunk.subarray(at);
				return;
			}

			let line = chunk.latin1Slice(at, newline);
			if (this.pending) {
				line = this.pending.latin1Slice() + line;
				this.pending = undefined;
			}

			line = line.trim();
			at = newline + 1;
			if (this.chunkState === 'trailer') {
				if (line === '') {
					this.finish();
				}

				continue;
			}

			const size = Number.parseInt(line, 16); // Chunk extensions after ';' are ignored by parseInt
			if (Number.isNaN(size)) {
				this.fail(new HttpError('bad_chunk', `a chunk size line that is not hex: ${JSON.stringify(line.slice(0, 40))}`));
				this.socket.destroy();
				return;
			}

			if (size === 0) {
				this.chunkState = 'trailer';
			} else {
				this.chunkState = 'data';
				this.left = size;
			}
		}
	}
}

/**
 The connections to one origin: a request takes a free one or opens another,
 so there are as many as requests in flight, like node:http's keep-alive agent.
 */
export class Http1Pool {
	constructor(url) {
		this.host = url.hostname;
		this.port = Number(url.port || 80);
		this.hostHeader = url.host;
		this.free = [];
		this.all = new Set();
	}

	/**
	 Sends one request. `headers` is an object of header names to values; the
	 body a Buffer or undefined. Handlers: head(status, headers), data(chunk),
	 end(), error(HttpError); exactly one of end and error is called.
	 @param root0
	 @param root0.method
	 @param root0.path
	 @param root0.headers
	 @param root0.body
	 @param handlers
	 */
	request({method, path, headers, body}, handlers) {
		let text = `${method} ${path} HTTP/1.1\r\nhost: ${this.hostHeader}\r\n`;
		for (const [name, value] of Object.entries(headers)) {
			text += `${name}: ${value}\r\n`;
		}

		if (body !== undefined || method === 'POST') {
			text += `content-length: ${body?.length ?? 0}\r\n`;
		}

		text += '\r\n';
		const connection = this.free.pop() ?? this.open();
		connection.noBody = method === 'HEAD';
		connection.start(body === undefined ? text : Buffer.concat([Buffer.from(text, 'latin1'), body]), handlers);
		return () => {
			connection.handlers = undefined;
			connection.socket.destroy();
		};
	}

	open() {
		const connection = new Connection(this);
		this.all.add(connection);
		return connection;
	}

	release(connection) {
		this.free.push(connection);
	}

	forget(connection) {
		this.all.delete(connection);
		const index = this.free.indexOf(connection);
		if (index !== -1) {
			this.free.splice(index, 1);
		}
	}

	destroy() {
		for (const connection of this.all) {
			connection.socket.destroy();
		}
	}
}
