/**
 The demo agent's Markdown answer: the code-mode agent's `✅ **Task Complete**` layout,
 plus a plain statement that this is a stand-in and how to configure a real one.
 */

/**
The config a real agent server needs (draphonix/mcp-code-mode).
*/
export const REAL_AGENT_CONFIG = `[server.agent]
command = "python"
args = ["-m", "mcp_code_mode.executor_server"]
env = { OPENAI_API_KEY = "\${env:OPENAI_API_KEY}" }`;

/**
A fence longer than any backtick run in `body`, so a task cannot break out.
*/
function fenced(body: string, lang = ''): string {
	const longest = Math.max(0, ...(body.match(/`+/g) ?? []).map(run => run.length));
	const fence = '`'.repeat(Math.max(3, longest + 1));
	return `${fence}${lang}\n${body}\n${fence}`;
}

export function countWords(task: string): number {
	return task.split(/\s+/).filter(Boolean).length;
}

export function demoAgentAnswer(task: string): string {
	const words = countWords(task);
	const output = `Task: ${task}\nWords: ${words}`;
	// eslint-disable-next-line unicorn/no-incorrect-template-string-interpolation -- `{task}` is a Python f-string inside the generated code
	const code = `task = ${JSON.stringify(task)}\nprint(f"Task: {task}")\nprint(f"Words: {len(task.split())}")`;
	return [
		'✅ **Task Complete**',
		'',
		'This is mcpd\'s built-in **demo agent**: it does not call a model or run code. It echoes your task and counts its words.',
		'',
		'### Execution Output',
		fenced(output),
		'',
		'### Generated Code',
		fenced(code, 'python'),
		'',
		'### Use a real agent',
		'Add an agent server to your mcpd config; it needs `OPENAI_API_KEY` or `GEMINI_API_KEY` in the environment:',
		'',
		fenced(REAL_AGENT_CONFIG, 'toml'),
	].join('\n');
}
