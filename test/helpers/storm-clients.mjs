// Clients that hammer mcpd with legacy `initialize` requests, each sending the
// next the moment it has read an answer (no back-off, Retry-After ignored), as
// their own process so that their load does not skew the test's timings.
//
//   node storm-clients.mjs BASE DURATION_MS CLIENTS SERVER...
//
// Prints one JSON object: per server, the count of each HTTP status and the
// first 503 answer (its Retry-After and JSON-RPC error).

const [base, duration, clients, ...servers] = process.argv.slice(2);
const deadline = Date.now() + Number(duration);
const body = JSON.stringify({
	jsonrpc: '2.0', id: 1, method: 'initialize', params: {protocolVersion: '2025-11-25', capabilities: {}, clientInfo: {name: 'storm', version: '1'}},
});
const result = Object.fromEntries(servers.map(server => [server, {statuses: {}, refusal: undefined}]));

async function hammer(server) {
	const seen = result[server];
	while (Date.now() < deadline) {
		const response = await fetch(`${base}/servers/${server}/mcp`, {method: 'POST', headers: {'content-type': 'application/json', accept: 'application/json, text/event-stream'}, body});
		const answer = await response.json();
		seen.statuses[response.status] = (seen.statuses[response.status] ?? 0) + 1;
		if (response.status === 503 && seen.refusal === undefined) {seen.refusal = {retryAfter: response.headers.get('retry-after'), error: answer.error};}
	}
}

await Promise.all(servers.flatMap(server => Array.from({length: Number(clients)}, async () => hammer(server))));
process.stdout.write(JSON.stringify(result) + '\n');
