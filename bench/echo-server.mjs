#!/usr/bin/env node
// A minimal stdio MCP server (2025 era) for benchmarks: newline-delimited
// JSON-RPC on stdin/stdout, no SDK, so that measured time is mcpd's, not the
// server's. Copied from the shared bench kit so that bench/ stands on its own.
//
//   node bench/echo-server.mjs [--delay-ms N]
//
// Methods: initialize, ping, tools/list (one tool `echo`), tools/call echo.
// Notifications and responses are ignored. --delay-ms N delays each
// tools/call answer by N ms (a slow tool).

const SUPPORTED = ['2025-11-25', '2025-06-18', '2025-03-26', '2024-11-05'];
const LATEST = SUPPORTED[0];

let delayMs = 0;
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
	const argument = argv[i];
	if (argument === '--delay-ms') {
		delayMs = Number(argv[++i]);
	} else if (argument.startsWith('--delay-ms=')) {
		delayMs = Number(argument.slice('--delay-ms='.length));
	} else if (argument === '-h' || argument === '--help') {
		process.stderr.write('usage: echo-server.mjs [--delay-ms N]\n');
		process.exit(0);
	} else {
		process.stderr.write(`echo-server: unknown argument ${argument}\n`);
		process.exit(2);
	}
}

if (!Number.isFinite(delayMs) || delayMs < 0) {
	process.stderr.write('echo-server: --delay-ms must be a number >= 0\n');
	process.exit(2);
}

const ECHO_TOOL = {
	name: 'echo',
	description: 'Returns the message it is given.',
	inputSchema: {
		type: 'object',
		properties: {message: {type: 'string'}},
		required: ['message'],
	},
};

function send(message) {
	process.stdout.write(JSON.stringify(message) + '\n');
}

function reply(id, result) {
	send({jsonrpc: '2.0', id, result});
}

function fail(id, code, message) {
	send({jsonrpc: '2.0', id, error: {code, message}});
}

function handle(message) {
	if (message === null || typeof message !== 'object' || Array.isArray(message)) {
		fail(null, -32_600, 'Invalid Request');
		return;
	}

	// A response, or junk without a method, or a notification: nothing to answer.
	if ((typeof message.method !== 'string') || !Object.hasOwn(message, 'id') || message.id === null) {return;}

	const {id, method} = message;
	const params = message.params ?? {};
	switch (method) {
		case 'initialize': {
			const asked = params.protocolVersion;
			reply(id, {
				protocolVersion: SUPPORTED.includes(asked) ? asked : LATEST,
				capabilities: {tools: {}},
				serverInfo: {name: 'bench-echo', version: '1.0.0'},
			});
			return;
		}

		case 'ping': {
			reply(id, {});
			return;
		}

		case 'tools/list': {
			reply(id, {tools: [ECHO_TOOL]});
			return;
		}

		case 'tools/call': {
			if (params.name !== 'echo') {
				fail(id, -32_602, `Unknown tool: ${params.name}`);
				return;
			}

			const text = params.arguments?.message;
			if (typeof text !== 'string') {
				fail(id, -32_602, 'echo: arguments.message must be a string');
				return;
			}

			const result = {content: [{type: 'text', text}]};
			if (delayMs > 0) {setTimeout(() => reply(id, result), delayMs);} else {reply(id, result);}

			return;
		}

		default: {
			fail(id, -32_601, `Method not found: ${method}`);
		}
	}
}

function onLine(buffer) {
	const line = buffer.toString('utf8').trim();
	if (!line) {return;}
	let message;
	try {
		message = JSON.parse(line);
	} catch {
		fail(null, -32_700, 'Parse error');
		return;
	}

	// Batches (2025-03-26) are answered one message at a time.
	if (Array.isArray(message)) {
		for (const item of message) {handle(item);}
	} else {
		handle(message);
	}
}

// Framing on raw bytes: 0x0A never occurs inside a UTF-8 multi-byte sequence,
// and a long line is joined once rather than rescanned for every chunk.
let partial = [];
process.stdin.on('data', chunk => {
	let start = 0;
	let newline = chunk.indexOf(10);
	while (newline !== -1) {
		if (partial.length > 0) {
			partial.push(chunk.subarray(start, newline));
			const whole = Buffer.concat(partial);
			partial = [];
			onLine(whole);
		} else {
			onLine(chunk.subarray(start, newline));
		}

		start = newline + 1;
		newline = chunk.indexOf(10, start);
	}

	if (start < chunk.length) {partial.push(chunk.subarray(start));}
});
process.stdin.on('end', () => process.exit(0));
// EPIPE: the reader (mcpd) went away, so there is no one left to answer.
process.stdout.on('error', () => process.exit(0));
