import assert from 'node:assert/strict';
import {test} from 'node:test';
import {formatAge, formatDuration, formatMs, formatRate, shortId} from '../../source/lib/format.js';

test('formatAge gets coarser with age', () => {
	assert.equal(formatAge(-5), '0s');
	assert.equal(formatAge(59_999), '59s');
	assert.equal(formatAge(60_000), '1m');
	assert.equal(formatAge(3_599_000), '59m');
	assert.equal(formatAge(3_600_000 + 5 * 60_000), '1h05m');
	assert.equal(formatAge(3 * 86_400_000), '3d');
});

test('formatMs shows a dash without data', () => {
	assert.equal(formatMs(null), '-');
	assert.equal(formatMs(undefined), '-');
	assert.equal(formatMs(0.44), '0.4ms');
	assert.equal(formatMs(12.4), '12ms');
	assert.equal(formatMs(1234), '1.2s');
	assert.equal(formatMs(125_000), '2m');
});

test('formatDuration', () => {
	assert.equal(formatDuration(850), '850ms');
	assert.equal(formatDuration(4200), '4.2s');
	assert.equal(formatDuration(192_000), '3m12s');
});

test('formatRate', () => {
	assert.equal(formatRate(0), '0');
	assert.equal(formatRate(3.44), '3.4');
	assert.equal(formatRate(120.4), '120');
});

test('shortId drops dashes and keeps eight characters', () => {
	assert.equal(shortId('3f2a9c1d-0000-4000-8000-000000000000'), '3f2a9c1d');
	assert.equal(shortId('ab-cd'), 'abcd');
});
