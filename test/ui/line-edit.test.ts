import assert from 'node:assert/strict';
import {test} from 'node:test';
import {editLine, lineOf} from '../../source/ui/state/line-edit.js';

test('insert at the cursor, paste included, with line breaks flattened', () => {
	assert.deepEqual(editLine({value: 'ac', cursor: 1}, {type: 'text.insert', text: 'b'}), {value: 'abc', cursor: 2});
	assert.deepEqual(editLine(lineOf('a'), {type: 'text.insert', text: 'b\r\nc'}), {value: 'ab c', cursor: 4});
});

test('backspace and delete around the cursor, and nothing past the ends', () => {
	assert.deepEqual(editLine({value: 'abc', cursor: 2}, {type: 'text.backspace'}), {value: 'ac', cursor: 1});
	assert.deepEqual(editLine({value: 'abc', cursor: 0}, {type: 'text.backspace'}), {value: 'abc', cursor: 0});
	assert.deepEqual(editLine({value: 'abc', cursor: 1}, {type: 'text.delete'}), {value: 'ac', cursor: 1});
	assert.deepEqual(editLine(lineOf('abc'), {type: 'text.delete'}), {value: 'abc', cursor: 3});
});

test('moves clamp; clear empties; wide characters count as one', () => {
	assert.equal(editLine({value: 'ab', cursor: 0}, {type: 'text.move', to: 'left'}).cursor, 0);
	assert.equal(editLine({value: 'ab', cursor: 2}, {type: 'text.move', to: 'right'}).cursor, 2);
	assert.equal(editLine({value: 'ab', cursor: 2}, {type: 'text.move', to: 'home'}).cursor, 0);
	assert.deepEqual(editLine(lineOf('ab'), {type: 'text.clear'}), {value: '', cursor: 0});
	assert.deepEqual(editLine(lineOf('a😀'), {type: 'text.backspace'}), {value: 'a', cursor: 1});
});
