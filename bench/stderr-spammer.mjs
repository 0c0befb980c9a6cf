#!/usr/bin/env node
// A stdio MCP server that only answers initialize and ping, and writes a stderr
// line every --interval-ms: the load for bench/dashboard-cpu.mjs.
const interval = Number(process.argv[process.argv.indexOf('--interval-ms') + 1]) || 100;
let n = 0;
const timer = setInterval(() => {
	process.stderr.write(`spam ${process.pid} line ${++n} ${'.'.repeat(40)}\n`);
}, interval);
let buffer = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', chunk => {
	buffer += chunk;
	let newline;
	while ((newline = buffer.indexOf('\n')) !== -1) {
		const line = buffer.slice(0, newline);
		buffer = buffer.slice(newline + 1);
		let message;
		try {
			message = JSON.parse(line);
		} catch {
			continue;
		}

		if (message.id === undefined) {continue;}
		const result = message.method === 'initialize'
			? {protocolVersion: message.params?.protocolVersion ?? '2025-11-25', capabilities: {}, serverInfo: {name: 'spammer', version: '1'}}
			: {};
		process.stdout.write(JSON.stringify({jsonrpc: '2.0', id: message.id, result}) + '\n');
	}
});
process.stdin.on('end', () => {
	clearInterval(timer);
	process.exit(0);
});
