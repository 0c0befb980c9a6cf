import assert from 'node:assert/strict';
import {test} from 'node:test';
import {arrayElements, nestingDepth} from '../../source/core/json-text.js';

const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

test('arrayElements gives each element as written, whatever it holds', () => {
	const items = [
		String.raw`{"jsonrpc":"2.0","id":1,"method":"a","params":{"s":"a, ] } [ { \" \\","n":[1, 2]}}`,
		String.raw`"a string with \\\" and , inside"`,
		'3.5e2',
		'null',
		'[[], {}]',
		String.raw`{"k":"\\"}`,
	];
	const text = ` [ ${items.join(' ,\t')} ] `;
	assert.deepEqual(arrayElements(text), items);
	// Each element is exactly what JSON.parse made of it.
	assert.deepEqual(arrayElements(text).map(item => JSON.parse(item) as unknown), JSON.parse(text));
	assert.deepEqual(arrayElements('[]'), []);
	assert.deepEqual(arrayElements('[ 1 ]'), ['1']);
});

test('arrayElements splits an array whose element is nested 100,000 levels deep, which JSON.stringify cannot write', () => {
	const deep = nested(100_000);
	assert.throws(() => JSON.stringify(JSON.parse(deep)), RangeError);
	const elements = arrayElements(`[{"d":${deep}},2]`);
	assert.equal(elements.length, 2);
	assert.equal(elements[0], `{"d":${deep}}`);
	assert.equal(elements[1], '2');
});

test('nestingDepth counts arrays and objects, not brackets inside strings', () => {
	assert.equal(nestingDepth('1'), 0);
	assert.equal(nestingDepth('"[[[{{{"'), 0);
	assert.equal(nestingDepth('{}'), 1);
	assert.equal(nestingDepth(String.raw`{"a":[1,{"b":"]]]\"[[["}],"c":[]}`), 3);
	assert.equal(nestingDepth(`{"x":${nested(10_000)}}`), 10_001);
});
