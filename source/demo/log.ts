/**
One line to stderr, prefixed `demo: `: the dashboard's stderr tail shows it.
*/
export function demoLog(text: string): void {
	process.stderr.write(`demo: ${text}\n`);
}
