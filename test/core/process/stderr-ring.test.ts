import assert from 'node:assert/strict';
import {test} from 'node:test';
import {StderrRing} from '../../../source/core/process/stderr-ring.js';

const line = (text: string) => ({time: 0, line: text});

test('keeps the newest lines within the line bound', () => {
	const ring = new StderrRing(1000, 3);
	for (const text of ['a', 'b', 'c', 'd']) {
		ring.push(line(text));
	}

	assert.deepEqual(ring.lines().map(entry => entry.line), ['b', 'c', 'd']);
	assert.deepEqual(ring.tail(2), ['c', 'd']);
	assert.deepEqual(ring.tail(0), []);
	assert.deepEqual(ring.tail(10), ['b', 'c', 'd']);
});

test('drops the oldest lines past the byte bound, but never the newest', () => {
	const ring = new StderrRing(10, 100);
	for (const text of ['aaaa', 'bbbb', 'cccc']) {
		ring.push(line(text));
	}

	assert.deepEqual(ring.tail(10), ['bbbb', 'cccc']);
	ring.push(line('x'.repeat(50)));
	assert.deepEqual(ring.tail(10), ['x'.repeat(50)]);
	ring.push(line('y'));
	assert.deepEqual(ring.tail(10), ['y']);
});
