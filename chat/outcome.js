// How a run_agent call ends, in the page's terms. The agent reports most
// failures as ordinary text (isError false), so the text itself decides, as
// in the dashboard's prompt pane. Pure, so it is tested without a browser.

/**
Early failures of the code-mode agent come back as plain text.
*/
const FAILURE_PREFIXES = ['Error:', 'Agent encountered a critical error:', '❌ **Task Failed**'];

/**
Mcpd's and the SDKs' "request timed out".
*/
export const TIMEOUT_CODE = -32_001;

/**
 The text content; `structuredContent.result` only when there is none.
 @param {any} result
 @returns {string}
 */
export function answerText(result) {
	const blocks = Array.isArray(result?.content) ? result.content : [];
	const texts = blocks.filter(block => block?.type === 'text' && typeof block.text === 'string').map(block => block.text);
	if (texts.length > 0) {return texts.join('\n');}
	const structured = result?.structuredContent;
	if (typeof structured?.result === 'string') {return structured.result;}
	return structured === undefined ? '' : JSON.stringify(structured, null, 2);
}

/**
 @param {any} result a tools/call result
 @returns {{state: 'done' | 'failed', text: string}}
 */
export function classifyResult(result) {
	const text = answerText(result);
	if (result?.isError === true) {return {state: 'failed', text: text || 'The tool reported an error without a message.'};}
	const head = text.trimStart();
	return {state: FAILURE_PREFIXES.some(prefix => head.startsWith(prefix)) ? 'failed' : 'done', text};
}

/**
 A child's stderr that says it lacks an API key.
 @param {string[] | undefined} stderr
 */
export function wantsKey(stderr) {
	return (stderr ?? []).some(line => /api[ _]?key/i.test(line));
}

const COUNTER = /^(.*?)\s*\(\d+(?:\.\d+)?\s*s\)\s*$/;

/**
 `lines` plus `text`, one entry per line, keeping the last `max`. A line that
 differs from the one before only by a trailing `(Ns)` counter (the agent's
 `Agent reasoning... (12s)` every second) replaces it instead of piling up.
 @param {string[]} lines
 @param {string} text
 @param {number} [max]
 @returns {string[]}
 */
export function appendLog(lines, text, max = 200) {
	const next = [...lines];
	for (const line of text.split(/\r?\n/)) {
		const key = COUNTER.exec(line)?.[1];
		const last = next.at(-1);
		if (key !== undefined && last !== undefined && COUNTER.exec(last)?.[1] === key) {next[next.length - 1] = line;} else {next.push(line);}
	}

	return next.length > max ? next.slice(next.length - max) : next;
}

/**
 `3.4 s`, `2 min 05 s`: a running clock.
 @param {number} ms
 */
export function formatElapsed(ms) {
	const seconds = Math.max(0, ms) / 1000;
	if (seconds < 60) {return `${seconds.toFixed(1)} s`;}
	const whole = Math.floor(seconds);
	return `${Math.floor(whole / 60)} min ${String(whole % 60).padStart(2, '0')} s`;
}
