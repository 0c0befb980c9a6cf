import assert from 'node:assert/strict';
import {test} from 'node:test';
import {compileSearch} from '../../source/lib/text-filter.js';

test('search: plain text is literal and case-insensitive, with every match as a range', () => {
	const s = compileSearch('a.b');
	assert.equal(s.test('xA.Bx'), true);
	assert.equal(s.test('axb'), false, 'a dot is a dot, not any character');
	assert.deepEqual(s.ranges('a.b and A.B'), [[0, 3], [8, 11]]);
});

test('search: ~ makes a regular expression; ! still inverts and then highlights nothing', () => {
	const s = compileSearch(String.raw`~time(d )?out \d+`);
	assert.equal(s.test('Timed out 30'), true);
	assert.equal(s.test('timeout 5'), true);
	assert.equal(s.test('timeout x'), false);
	assert.deepEqual(s.ranges('a timeout 5, b timed out 12'), [[2, 11], [15, 27]]);
	const not = compileSearch('!~^debug');
	assert.equal(not.test('debug: x'), false);
	assert.equal(not.test('error: debug'), true);
	assert.deepEqual(not.ranges('error: debug'), []);
});

test('search: a regex still being typed is plain text until it compiles; empty ones match all', () => {
	const half = compileSearch('~err(');
	assert.equal(half.invalid, true);
	assert.equal(half.test('an err( here'), true);
	assert.equal(half.test('an error'), false);
	assert.equal(compileSearch('~').test('x'), true);
	assert.equal(compileSearch('!~').test('x'), true);
	assert.deepEqual(compileSearch('~x*').ranges('abc'), [], 'empty matches highlight nothing');
});
