export type Ranked = {
	/**
	Cells it takes.
	*/
	width: number;
	/**
	Lower is kept longer; `0` is never dropped.
	*/
	rank: number;
};

/**
 The items that fit in `room` cells with `gap` between neighbours, keeping
 the best ranked and dropping whole items rather than cutting one; the order
 stays as given. Rank-0 items stay even when they alone overflow.
 */
export function fitRanked<T extends Ranked>(items: readonly T[], room: number, gap: number): T[] {
	const byRank = items.map((item, index) => ({item, index})).toSorted((a, b) => a.item.rank - b.item.rank || a.index - b.index);
	const kept = new Set<number>();
	let used = 0;
	for (const {item, index} of byRank) {
		const cost = item.width + (kept.size > 0 ? gap : 0);
		if (item.rank > 0 && used + cost > room) {
			continue;
		}

		kept.add(index);
		used += cost;
	}

	return items.filter((_, index) => kept.has(index));
}
