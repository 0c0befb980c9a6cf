/**
 Zod issues to problems keyed by TOML path. The field schemas already carry
 human messages; what is left is splitting unknown keys (one line each, with
 a suggestion) and reporting array elements as their array's key, which is
 what the user sees in the file.
 */
import type {z} from 'zod';
import {knownKeys} from './schema.js';
import {suggest} from './suggest.js';

export type KeyProblem = {
	path: string[];
	reason: string;
};

export function issueProblems(issues: readonly z.core.$ZodIssue[]): KeyProblem[] {
	const problems: KeyProblem[] = [];
	const seen = new Set<string>();
	const add = (problem: KeyProblem) => {
		// `args = [1, 2]` fails twice with the same text on the same key.
		const id = JSON.stringify(problem);
		if (seen.has(id)) {
			return;
		}

		seen.add(id);
		problems.push(problem);
	};

	for (const issue of issues) {
		const path = issue.path.filter(part => typeof part === 'string');
		if (issue.code === 'unrecognized_keys') {
			// `__proto__` is reported on its own, wherever it appears (see protoKeys).
			for (const key of issue.keys.filter(key => key !== '__proto__')) {
				add({path: [...path, key], reason: unknownKeyReason(key, knownKeys(path))});
			}
		} else if (issue.code === 'invalid_key') {
			add({path, reason: issue.issues[0]?.message ?? 'is not a valid key'});
		} else {
			add({path, reason: issue.message});
		}
	}

	return problems;
}

function unknownKeyReason(key: string, known: readonly string[]): string {
	const guess = suggest(key, known);
	if (guess !== undefined) {
		return `is not a known key (did you mean ${guess}?)`;
	}

	return known.length > 0 ? `is not a known key (known: ${known.join(', ')})` : 'is not a known key';
}
