// A bare node process that answers its first stdin line: the start-up cost the
// demo server's is measured against (bench/demo-start.mjs).
process.stdin.once('data', () => {
	process.stdout.write('{}\n');
});
