/**
 What one agent run ends with, and how a tool result becomes one. The code-mode
 agent (draphonix/mcp-code-mode) reports most failures as ordinary text
 (`isError: false`), so the text itself decides.
 */

/**
Why a run `failed` without an answer from the tool.
*/
export type FailureCause =
	/**
	Mcpd did not answer at all (not running, wrong port).
	*/
	| 'unreachable'
	/**
	Mcpd refused: bad token, unknown server, at capacity. A setup problem.
	*/
	| 'refused'
	/**
	The agent's process exited; `stderr` says why when known.
	*/
	| 'crashed'
	/**
	Any other JSON-RPC or protocol error.
	*/
	| 'error';

export type AgentOutcome =
	| {kind: 'answer'; text: string; isError: false}
	| {kind: 'tool-error'; text: string}
	| {kind: 'cancelled'}
	| {kind: 'timeout'; message: string}
	| {kind: 'failed'; message: string; cause: FailureCause; stderr?: string[]};

export type AgentProgress = {
	progress: number;
	total?: number;
	message?: string;
};

/**
Only the fields of a `tools/call` result that matter here.
*/
export type ToolResultLike = {
	content?: unknown;
	structuredContent?: unknown;
	isError?: unknown;
};

/**
Early failures of the code-mode agent come back as plain text with `isError: false`.
*/
const FAILURE_PREFIXES = ['Error:', 'Agent encountered a critical error:', '❌ **Task Failed**'];

export function classifyResult(result: ToolResultLike): AgentOutcome {
	const text = answerText(result);
	if (result.isError === true) {
		return {kind: 'tool-error', text: text || 'the tool reported an error without a message'};
	}

	const head = text.trimStart();
	return FAILURE_PREFIXES.some(prefix => head.startsWith(prefix)) ? {kind: 'tool-error', text} : {kind: 'answer', text, isError: false};
}

/**
The text content; `structuredContent.result` only when there is none (FastMCP 2.10+ sends both).
*/
export function answerText(result: ToolResultLike): string {
	const blocks = Array.isArray(result.content) ? (result.content as unknown[]) : [];
	const texts = blocks
		.filter((block): block is {type: 'text'; text: string} => isRecord(block) && block.type === 'text' && typeof block.text === 'string')
		.map(block => block.text);
	if (texts.length > 0) {
		return texts.join('\n');
	}

	const structured = result.structuredContent;
	if (isRecord(structured) && typeof structured.result === 'string') {
		return structured.result;
	}

	return structured === undefined ? '' : JSON.stringify(structured, null, 2);
}

export function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}
