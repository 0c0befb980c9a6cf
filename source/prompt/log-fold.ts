/**
 The code-mode agent (draphonix/mcp-code-mode) logs `Agent reasoning... (Ns)` every second. Lines that
 differ from the previous one only by such a trailing `(Ns)` counter replace
 it instead of piling up.
 */
const COUNTER = /^(.*?)\s*\(\d+(?:\.\d+)?\s*s\)\s*$/;

function counterKey(line: string): string | undefined {
	return COUNTER.exec(line)?.[1];
}

/**
A new array: `logs` plus `text` (one entry per line), folded, keeping the last `max`.
*/
export function appendLog(logs: readonly string[], text: string, max = 200): string[] {
	const next = [...logs];
	for (const line of text.split(/\r?\n/)) {
		const key = counterKey(line);
		const last = next.at(-1);
		if (key !== undefined && last !== undefined && counterKey(last) === key) {
			next[next.length - 1] = line;
		} else {
			next.push(line);
		}
	}

	return next.length > max ? next.slice(next.length - max) : next;
}
