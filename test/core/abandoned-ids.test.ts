import assert from 'node:assert/strict';
import {test} from 'node:test';
import {AbandonedIds} from '../../source/core/abandoned-ids.js';

test('an abandoned id is known once: a child answers a request at most once', () => {
	const ids = new AbandonedIds();
	ids.add(7);
	ids.add('a');
	assert.equal(ids.delete(7), true);
	assert.equal(ids.delete(7), false);
	assert.equal(ids.delete('a'), true);
	assert.equal(ids.delete(8), false);
	assert.equal(ids.size, 0);
});

test('ids that are never answered (a child that honours cancellation) stop at the capacity, the oldest going first', () => {
	const ids = new AbandonedIds(100);
	for (let id = 1; id <= 10_000; id++) {
		ids.add(id);
	}

	assert.equal(ids.size, 100);
	assert.equal(ids.delete(9900), false);
	assert.equal(ids.delete(9901), true);
	assert.equal(ids.delete(10_000), true);
});

test('the default capacity bounds a long-lived child too', () => {
	const ids = new AbandonedIds();
	for (let id = 0; id < 100_000; id++) {
		ids.add(id);
	}

	assert.equal(ids.size, ids.capacity);
	assert.ok(ids.capacity <= 4096);
});
