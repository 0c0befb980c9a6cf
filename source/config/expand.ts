/**
 `${env:NAME}` in config strings, so secrets such as API keys and the bearer
 token stay out of the file.

 - `${env:NAME}` is replaced by NAME's value from the env passed in (an empty
 value is fine; an unset one is an error, since silently passing "" as an
 API key fails far from its cause).
 - `$${env:NAME}` stands for the literal text `${env:NAME}`. No other `$`
 sequence is special, so `$HOME` or `${HOME}` pass through untouched for
 programs that expand them themselves.
 - NAME must look like a portable variable name: letters, digits, `_`, not
 starting with a digit.
 - Only values are expanded, never keys.
 */

export type EnvVars = Readonly<Record<string, string | undefined>>;

export type ExpansionProblem = {
	/**
	Key path of the value, array indices left out (`['server', 'fs', 'args']`).
	*/
	path: string[];
	reason: string;
};

const open = '${env:';
const variableName = /^[a-z_]\w*$/i;

/**
Expands one string; problems carry no path (the caller knows it).
*/
export function expandString(value: string, env: EnvVars): {value: string; problems: string[]} {
	const problems: string[] = [];
	let result = '';
	let index = 0;
	for (;;) {
		const start = value.indexOf(open, index);
		if (start === -1) {
			break;
		}

		if (start > index && value[start - 1] === '$') {
			result += value.slice(index, start - 1) + open;
			index = start + open.length;
			continue;
		}

		const end = value.indexOf('}', start);
		if (end === -1) {
			problems.push(`has an unclosed ${open}...} reference`);
			break;
		}

		const name = value.slice(start + open.length, end);
		const replacement = variableName.test(name) ? env[name] : undefined;
		if (!variableName.test(name)) {
			problems.push(`has a malformed reference ${value.slice(start, end + 1)} (the name may hold letters, digits and _)`);
		} else if (replacement === undefined) {
			problems.push(`uses ${open}${name}}, but ${name} is not set`);
		}

		result += value.slice(index, start) + (replacement ?? '');
		index = end + 1;
	}

	return {value: result + value.slice(index), problems};
}

export type ExpandOptions = {
	/**
	Subtrees left alone, e.g. tables whose values are variable names rather than text.
	*/
	skip?: (path: readonly string[]) => boolean;
};

/**
Expands every string inside parsed TOML data; returns a copy and never throws.
*/
export function expandEnv<T>(data: T, env: EnvVars, options: ExpandOptions = {}): {value: T; problems: ExpansionProblem[]} {
	const problems: ExpansionProblem[] = [];

	const walk = (node: unknown, path: string[]): unknown => {
		if (options.skip?.(path)) {
			return node;
		}

		if (typeof node === 'string') {
			const expanded = expandString(node, env);
			for (const reason of expanded.problems) {
				problems.push({path, reason});
			}

			// A failed value is kept as written so schema checks see the user's text, not a half-expanded one.
			return expanded.problems.length > 0 ? node : expanded.value;
		}

		if (Array.isArray(node)) {
			return node.map(item => walk(item, path));
		}

		if (isTable(node)) {
			const copy: Record<string, unknown> = Object.create(null);
			for (const [key, value] of Object.entries(node)) {
				copy[key] = walk(value, [...path, key]);
			}

			return copy;
		}

		return node;
	};

	return {value: walk(data, []) as T, problems};
}

/**
TOML tables arrive as plain (often null-prototype) objects; dates are class instances and stay as they are.
*/
function isTable(node: unknown): node is Record<string, unknown> {
	if (typeof node !== 'object' || node === null) {
		return false;
	}

	const prototype: unknown = Object.getPrototypeOf(node);
	return prototype === null || prototype === Object.prototype;
}
