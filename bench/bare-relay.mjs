#!/usr/bin/env node
// The least a Node.js Streamable HTTP proxy can do, as a reference beside the
// floor: node:http, one child per session, each POST's body written to the
// child as it came and the answer with the same id written back as JSON. No
// checks of any kind (Origin, Accept, versions, limits), no SSE, no batches, no
// GET stream, no timeouts, no metrics: not a proxy to run, only the cost of
// Node's HTTP server and child pipes that any Node proxy pays.
//
//   node bench/bare-relay.mjs --port PORT -- COMMAND [ARGS...]
import {spawn} from 'node:child_process';
import {randomUUID} from 'node:crypto';
import {createServer} from 'node:http';
import {parseArgs} from 'node:util';

const {values, positionals} = parseArgs({options: {port: {type: 'string'}}, allowPositionals: true});
const [command, ...args] = positionals;
if (!values.port || !command) {
	process.stderr.write('usage: bare-relay.mjs --port PORT -- COMMAND [ARGS...]\n');
	process.exit(2);
}

const sessions = new Map();

function answer(response, status, text) {
	response.writeHead(status, {'content-type': 'application/json', 'content-length': Buffer.byteLength(text)});
	response.end(text);
}

function startChild() {
	const child = spawn(command, args, {stdio: ['pipe', 'pipe', 'ignore']});
	const waiting = new Map();
	let rest = '';
	child.stdout.setEncoding('utf8');
	child.stdout.on('data', text => {
		let start = 0;
		let newline = text.indexOf('\n');
		while (newline !== -1) {
			const line = rest + text.slice(start, newline);
			rest = '';
			const {id} = JSON.parse(line);
			const response = waiting.get(id);
			if (response) {
				waiting.delete(id);
				answer(response, 200, line);
			}

			start = newline + 1;
			newline = text.indexOf('\n', start);
		}

		rest += text.slice(start);
	});
	child.stdin.on('error', () => {});
	return {child, waiting};
}

const server = createServer({keepAliveTimeout: 300_000}, (request, response) => {
	const chunks = [];
	request.on('data', chunk => chunks.push(chunk));
	request.on('end', () => {
		const id = request.headers['mcp-session-id'];
		if (request.method === 'DELETE') {
			sessions.get(id)?.child.kill();
			sessions.delete(id);
			answer(response, 200, '{}');
			return;
		}

		const body = Buffer.concat(chunks).toString('utf8');
		const message = JSON.parse(body);
		let session = sessions.get(id);
		if (message.method === 'initialize') {
			const fresh = randomUUID();
			session = startChild();
			sessions.set(fresh, session);
			response.setHeader('mcp-session-id', fresh);
		}

		if (!session) {
			answer(response, 404, '{"jsonrpc":"2.0","id":null,"error":{"code":-32001,"message":"Session not found"}}');
			return;
		}

		if (message.id === undefined) {
			response.writeHead(202, {'content-length': '0'}).end();
		} else {
			session.waiting.set(message.id, response);
		}

		session.child.stdin.write(`${body}\n`);
	});
});
server.listen(Number(values.port), '127.0.0.1');

for (const signal of ['SIGTERM', 'SIGINT']) {
	process.on(signal, () => {
		for (const {child} of sessions.values()) {child.kill();}
		server.close();
		server.closeAllConnections();
		process.exitCode = 0;
	});
}
