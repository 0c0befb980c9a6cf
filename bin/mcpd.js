#!/usr/bin/env node
// Colour must be decided before chalk (via ink) is first imported: chalk reads
// FORCE_COLOR at load time and ignores NO_COLOR, so map NO_COLOR/--no-color here.
if (process.env.NO_COLOR !== undefined || process.argv.includes('--no-color') || process.env.TERM === 'dumb') {
	process.env.FORCE_COLOR = '0';
}

if (process.argv[2] === 'demo-server') {
	// Every demo session spawns this: skip the CLI, the HTTP stack and the dashboard it would load.
	const {runDemoServer} = await import('../dist/demo/server.js');
	await runDemoServer();
} else {
	const {main} = await import('../dist/cli.js');
	await main(process.argv.slice(2));
}
