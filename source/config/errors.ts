/**
 Config errors point at the file, line and key so the user can fix the file
 without guessing; every problem is reported at once, not one per run.
 */

export type ConfigProblem = {
	/**
	1-based; undefined when the problem concerns the file as a whole (not found, unreadable).
	*/
	line: number | undefined;
	/**
	Dotted key as written in TOML, e.g. `server.fs.args`; undefined for syntax and file errors.
	*/
	key: string | undefined;
	/**
	What is wrong, phrased to follow the key: `must be an array of strings`.
	*/
	reason: string;
};

export class ConfigError extends Error {
	override name = 'ConfigError';
	/**
	The file as the caller named it (basename or the path the user typed).
	*/
	readonly file: string;
	/**
	Line and key of the first problem.
	*/
	readonly line: number | undefined;
	readonly key: string | undefined;
	readonly problems: readonly ConfigProblem[];

	constructor(file: string, problems: readonly ConfigProblem[]) {
		if (problems.length === 0) {
			throw new TypeError('ConfigError needs at least one problem');
		}

		super(problems.map(problem => formatProblem(file, problem)).join('\n'));
		this.file = file;
		this.line = problems[0].line;
		this.key = problems[0].key;
		this.problems = problems;
	}
}

/**
`mcpd.toml:12: server.fs.args must be an array of strings`.
*/
export function formatProblem(file: string, {line, key, reason}: ConfigProblem): string {
	const where = line === undefined ? file : `${file}:${line}`;
	return key === undefined ? `${where}: ${reason}` : `${where}: ${key} ${reason}`;
}

const bareKey = /^[\w-]+$/;

/**
A key path as the user would write it in TOML: bare where possible, else quoted (`server."my.srv".args`).
*/
export function formatKey(path: readonly string[]): string {
	return path.map(part => (bareKey.test(part) ? part : JSON.stringify(part))).join('.');
}
