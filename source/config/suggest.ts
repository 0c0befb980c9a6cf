/**
 "Did you mean" for unknown keys: a typo should be fixed in one look, not by
 reading the docs.
 */

/**
The closest candidate, or undefined when none is plausibly what was meant.
*/
export function suggest(word: string, candidates: readonly string[]): string | undefined {
	// `inheritEnv`, `inherit-env`, `INHERIT_ENV` are all `inherit_env` in another style.
	const folded = fold(word);
	const sameWord = candidates.find(candidate => fold(candidate) === folded);
	if (sameWord !== undefined) {
		return sameWord;
	}

	const budget = Math.max(1, Math.floor(word.length / 4));
	let best: string | undefined;
	let bestDistance = budget + 1;
	for (const candidate of candidates) {
		const distance = editDistance(word.toLowerCase(), candidate.toLowerCase());
		if (!(distance < bestDistance)) {
			continue;
		}

		best = candidate;
		bestDistance = distance;
	}

	return best;
}

const fold = (word: string) => word.toLowerCase().replaceAll(/[-_]/g, '');

/**
Levenshtein distance counting a swap of neighbours as one edit (the commonest typo).
*/
export function editDistance(a: string, b: string): number {
	const rows = a.length + 1;
	const columns = b.length + 1;
	const table: number[][] = Array.from({length: rows}, (_row, i) => Array.from({length: columns}, (_column, j) => (i === 0 ? j : (j === 0 ? i : 0))));
	for (let i = 1; i < rows; i++) {
		for (let j = 1; j < columns; j++) {
			const cost = a[i - 1] === b[j - 1] ? 0 : 1;
			table[i][j] = Math.min(table[i - 1][j] + 1, table[i][j - 1] + 1, table[i - 1][j - 1] + cost);
			if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
				table[i][j] = Math.min(table[i][j], table[i - 2][j - 2] + 1);
			}
		}
	}

	return table[a.length][b.length];
}
