import assert from 'node:assert/strict';
import {test} from 'node:test';
import {RingBuffer} from '../../source/lib/ring-buffer.js';

test('keeps items oldest first below capacity', () => {
	const ring = new RingBuffer<number>(3);
	ring.push(1);
	ring.push(2);
	assert.deepEqual(ring.toArray(), [1, 2]);
	assert.equal(ring.size, 2);
});

test('drops the oldest past capacity and reports what fell out', () => {
	const ring = new RingBuffer<number>(3);
	const dropped = [1, 2, 3, 4, 5].map(n => ring.push(n));
	assert.deepEqual(dropped, [undefined, undefined, undefined, 1, 2]);
	assert.deepEqual(ring.toArray(), [3, 4, 5]);
	assert.equal(ring.size, 3);
});

test('stays bounded however much is pushed', () => {
	const ring = new RingBuffer<number>(500);
	for (let i = 0; i < 100_000; i++) {
		ring.push(i);
	}

	const items = ring.toArray();
	assert.equal(items.length, 500);
	assert.equal(items[0], 99_500);
	assert.equal(items.at(-1), 99_999);
});

test('toArray returns a copy the caller may keep', () => {
	const ring = new RingBuffer<number>(2);
	ring.push(1);
	const before = ring.toArray();
	ring.push(2);
	ring.push(3);
	assert.deepEqual(before, [1]);
});

test('shift takes the oldest item out', () => {
	const ring = new RingBuffer<number>(2);
	assert.equal(ring.shift(), undefined);
	ring.push(1);
	ring.push(2);
	ring.push(3);
	assert.equal(ring.shift(), 2);
	ring.push(4);
	assert.deepEqual(ring.toArray(), [3, 4]);
	assert.equal(ring.size, 2);
});

test('shifting before it is ever full, then wrapping, keeps the order', () => {
	const ring = new RingBuffer<number>(3);
	ring.push(1);
	ring.push(2);
	assert.equal(ring.shift(), 1);
	const dropped = [3, 4, 5, 6].map(n => ring.push(n));
	assert.deepEqual(dropped, [undefined, undefined, 2, 3]);
	assert.deepEqual(ring.toArray(), [4, 5, 6]);
	ring.clear();
	ring.push(7);
	assert.deepEqual(ring.toArray(), [7]);
});

test('clear empties it', () => {
	const ring = new RingBuffer<string>(2);
	ring.push('a');
	ring.clear();
	assert.deepEqual(ring.toArray(), []);
	ring.push('b');
	assert.deepEqual(ring.toArray(), ['b']);
});

test('rejects a capacity that is not a positive integer', () => {
	assert.throws(() => new RingBuffer(0), RangeError);
	assert.throws(() => new RingBuffer(1.5), RangeError);
});
