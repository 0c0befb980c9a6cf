import assert from 'node:assert/strict';
import {test} from 'node:test';
import {BUCKET_COUNT, MAX_MS, RELATIVE_ERROR, bucketIndex, bucketLow, bucketValue, bucketWidth, quantiles} from '../../../source/core/metrics/histogram.js';

test('buckets tile [0, MAX_MS) without gaps and each midpoint maps back to its bucket', () => {
	assert.equal(bucketLow(0), 0);
	for (let index = 0; index < BUCKET_COUNT; index++) {
		assert.equal(bucketIndex(bucketValue(index)), index, `midpoint of ${index}`);
		if (index + 1 < BUCKET_COUNT) {
			const end = bucketLow(index) + bucketWidth(index);
			assert.ok(Math.abs(end - bucketLow(index + 1)) <= end * 1e-12, `bucket ${index} ends where ${index + 1} starts`);
		}
	}

	const last = BUCKET_COUNT - 1;
	assert.ok(Math.abs(bucketLow(last) + bucketWidth(last) - MAX_MS) < 1e-6);
	assert.ok(MAX_MS > 3_600_000, 'covers at least an hour');
});

test('from 0.01 ms to MAX_MS the reported value is within RELATIVE_ERROR of the true one', () => {
	assert.ok(RELATIVE_ERROR <= 0.016);
	let worst = 0;
	let previous = -1;
	for (let ms = 0.01; ms < MAX_MS; ms *= 1.00037) {
		const index = bucketIndex(ms);
		assert.ok(index >= previous, `index is monotone at ${ms}`);
		previous = index;
		worst = Math.max(worst, Math.abs(bucketValue(index) - ms) / ms);
	}

	assert.ok(worst <= RELATIVE_ERROR * (1 + 1e-9), `worst relative error ${worst}`);
	// The sweep is dense enough to get close to the bound: the bound is not loose.
	assert.ok(worst > RELATIVE_ERROR * 0.9, `worst relative error ${worst}`);
});

test('below 0.01 ms the error is at most half a unit (1/6400 ms)', () => {
	for (let ms = 0; ms < 0.01; ms += 0.000013) {
		assert.ok(Math.abs(bucketValue(bucketIndex(ms)) - ms) <= 1 / 6400 + 1e-15, `at ${ms}`);
	}
});

test('out-of-range and broken durations land in the end buckets instead of throwing', () => {
	assert.equal(bucketIndex(0), 0);
	assert.equal(bucketIndex(-5), 0);
	assert.equal(bucketIndex(NaN), 0);
	assert.equal(bucketIndex(MAX_MS), BUCKET_COUNT - 1);
	assert.equal(bucketIndex(1e15), BUCKET_COUNT - 1);
	assert.equal(bucketIndex(Infinity), BUCKET_COUNT - 1);
});

test('quantiles use nearest rank, several in one pass', () => {
	const counts = new Uint32Array(BUCKET_COUNT);
	assert.deepEqual(quantiles(counts, 0, [0.5]), []);

	// 90 values of 1 ms and 10 of 100 ms: p50 and p90 are 1 ms, p91 is 100 ms.
	counts[bucketIndex(1)] = 90;
	counts[bucketIndex(100)] = 10;
	const [p0, p50, p90, p91, p100] = quantiles(counts, 100, [0, 0.5, 0.9, 0.91, 1]);
	assert.equal(p0, bucketValue(bucketIndex(1)));
	assert.equal(p50, bucketValue(bucketIndex(1)));
	assert.equal(p90, bucketValue(bucketIndex(1)));
	assert.equal(p91, bucketValue(bucketIndex(100)));
	assert.equal(p100, bucketValue(bucketIndex(100)));
	// Starting past the populated buckets finds nothing rather than lying.
	assert.deepEqual(quantiles(counts, 100, [0.5], BUCKET_COUNT), []);
});
