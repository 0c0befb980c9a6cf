/**
 Log-linear latency buckets (the HdrHistogram layout): each power-of-two
 range of durations is cut into 32 equal sub-buckets, so a bucket is never
 wider than 1/32 of its lower bound and its midpoint is within 1/64 (~1.6 %)
 of any duration it holds. The layout is fixed, so recording is an index
 computation and merging is element-wise addition.

 Kept over `perf_hooks.createHistogram` (the same HDR layout, native): on 2M
 durations from 0.01 ms to 1.6 s, recording here took 60-80 ns a value against
 210-260 ns there (each `record()` crosses into C++), and p50/p95/p99 plus a
 merge took 10-120 µs against 200-270 µs; the rolling windows also subtract
 counts, which a native histogram cannot. Node 24, loaded 2-core machine.
 */

/* eslint-disable no-bitwise -- bucket indices are shifts and masks of the HDR layout */

const SUB_BITS = 5;
const SUB_COUNT = 1 << SUB_BITS;

/**
 The unit is 1/3200 ms, so the linear part (the first 32 units) ends at
 exactly 0.01 ms: relative precision holds from 0.01 ms up, and below that
 the error is at most half a unit (~0.16 µs).
 */
const UNITS_PER_MS = 3200;

/**
2^34 units, ~89.5 min: past the hour the brief asks for, and still an exact double.
*/
const MAX_UNITS = 2 ** 34;

/**
Longest duration told apart; longer ones land in the last bucket.
*/
export const MAX_MS = MAX_UNITS / UNITS_PER_MS;

/**
Bound on |reported - true| / true for durations of at least 0.01 ms.
*/
export const RELATIVE_ERROR = 1 / (2 * SUB_COUNT);

/**
(exponents 0..28) x 32 sub-buckets + the 32 linear ones below them.
*/
export const BUCKET_COUNT = ((34 - 1 - SUB_BITS) << SUB_BITS) + 2 * SUB_COUNT;

export function bucketIndex(ms: number): number {
	const units = ms * UNITS_PER_MS;
	// `!(>=)` also sends NaN here: a broken duration must not throw on the hot path.
	if (!(units >= SUB_COUNT)) {
		return units > 0 ? Math.floor(units) : 0;
	}

	if (units >= MAX_UNITS) {
		return BUCKET_COUNT - 1;
	}

	// Clz32 only sees 32 bits; pre-dividing large values by 2^8 is exact for a
	// floor, and they still keep more than SUB_BITS bits.
	const pre = units >= 2 ** 31 ? 8 : 0;
	const v = Math.floor(units / (1 << pre));
	const exponent = 31 - Math.clz32(v) - SUB_BITS + pre;
	return (exponent << SUB_BITS) + (v >>> (exponent - pre));
}

/**
Lower bound of bucket `index`, in ms.
*/
export function bucketLow(index: number): number {
	if (index < 2 * SUB_COUNT) {
		return index / UNITS_PER_MS;
	}

	const exponent = (index >> SUB_BITS) - 1;
	return ((index & (SUB_COUNT - 1)) + SUB_COUNT) * 2 ** exponent / UNITS_PER_MS;
}

/**
Width of bucket `index`, in ms.
*/
export function bucketWidth(index: number): number {
	return (index < 2 * SUB_COUNT ? 1 : 2 ** ((index >> SUB_BITS) - 1)) / UNITS_PER_MS;
}

// Midpoints halve the worst-case error compared with reporting a bound.
const MIDPOINTS = new Float64Array(BUCKET_COUNT);
for (let index = 0; index < BUCKET_COUNT; index++) {
	MIDPOINTS[index] = bucketLow(index) + bucketWidth(index) / 2;
}

/**
The value reported for anything that fell in bucket `index`, in ms.
*/
export function bucketValue(index: number): number {
	return MIDPOINTS[index];
}

/**
 Nearest-rank quantiles of `counts` (which hold `total` values), in one pass.
 `qs` must be ascending. Scanning may start at `from` when the caller knows
 no lower bucket is populated.
 */
export function quantiles(counts: Uint32Array, total: number, qs: readonly number[], from = 0): number[] {
	const result: number[] = [];
	if (total <= 0) {
		return result;
	}

	// The epsilon keeps 0.95 * 100 from ranking 96 through float noise.
	const ranks = qs.map(q => Math.min(total, Math.max(1, Math.ceil(q * total - 1e-9))));
	let seen = 0;
	for (let index = from; index < BUCKET_COUNT && result.length < ranks.length; index++) {
		seen += counts[index];
		while (result.length < ranks.length && seen >= ranks[result.length]) {
			result.push(MIDPOINTS[index]);
		}
	}

	return result;
}
