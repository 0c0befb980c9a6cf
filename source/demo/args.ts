/**
 The demo tools' arguments: each described once, which gives both the JSON
 Schema `tools/list` shows and the check `tools/call` makes.
 */

export type Field = {
	type: 'string' | 'number' | 'integer';
	description: string;
	minimum?: number;
	maximum?: number;
	exclusiveMinimum?: number;
	/**
	A field with a default is optional.
	*/
	default?: string | number;
};

export type Fields = Record<string, Field>;

export type Values = Record<string, string | number>;

/**
JSON Schema (draft 7) of a tool's arguments.
*/
export function inputSchema(fields: Fields): Record<string, unknown> {
	const names = Object.keys(fields);
	if (names.length === 0) {
		return {type: 'object', properties: {}};
	}

	const required = names.filter(name => fields[name].default === undefined);
	return {
		$schema: 'https://json-schema.org/draft-07/schema#',
		type: 'object',
		properties: Object.fromEntries(names.map(name => [name, fields[name]])),
		...((required.length > 0) && {required}),
	};
}

/**
The arguments with defaults filled in, or what is wrong with them.
*/
export function checkArgs(fields: Fields, args: unknown): {values: Values} | {problem: string} {
	const given = typeof args === 'object' && args !== null && !Array.isArray(args) ? args as Record<string, unknown> : {};
	const values: Values = {};
	for (const [name, field] of Object.entries(fields)) {
		const value = given[name] ?? field.default;
		const problem = fieldProblem(field, value);
		if (problem !== undefined) {
			return {problem: `${problem} at ${name}`};
		}

		values[name] = value as string | number;
	}

	return {values};
}

function fieldProblem(field: Field, value: unknown): string | undefined {
	if (value === undefined) {
		return `Invalid input: expected ${field.type === 'string' ? 'string' : 'number'}, received undefined`;
	}

	if (field.type === 'string') {
		return typeof value === 'string' ? undefined : `Invalid input: expected string, received ${kind(value)}`;
	}

	if (typeof value !== 'number' || !Number.isFinite(value)) {
		return `Invalid input: expected number, received ${kind(value)}`;
	}

	if (field.type === 'integer' && !Number.isInteger(value)) {
		return 'Invalid input: expected int, received number';
	}

	if (field.minimum !== undefined && value < field.minimum) {
		return `Too small: expected number to be >=${field.minimum}`;
	}

	if (field.exclusiveMinimum !== undefined && value <= field.exclusiveMinimum) {
		return `Too small: expected number to be >${field.exclusiveMinimum}`;
	}

	return field.maximum !== undefined && value > field.maximum ? `Too big: expected number to be <=${field.maximum}` : undefined;
}

function kind(value: unknown): string {
	return value === null ? 'null' : (Array.isArray(value) ? 'array' : typeof value);
}
