import assert from 'node:assert/strict';
import {test} from 'node:test';
import {compileSearch} from '../../source/lib/text-filter.js';
import {chunkPieces, pieces} from '../../source/ui/highlight.js';

test('a line is cut at the search\'s matches, and wrapping keeps which pieces were hits', () => {
	const text = 'ERR: disk err at /var';
	const line = pieces(text, compileSearch('~err').ranges(text));
	assert.deepEqual(line, [{text: 'ERR', hit: true}, {text: ': disk ', hit: false}, {text: 'err', hit: true}, {text: ' at /var', hit: false}]);
	assert.deepEqual(chunkPieces(line, 8), [
		[{text: 'ERR', hit: true}, {text: ': dis', hit: false}],
		[{text: 'k ', hit: false}, {text: 'err', hit: true}, {text: ' at', hit: false}],
		[{text: ' /var', hit: false}],
	]);
	assert.deepEqual(pieces('', []), [{text: '', hit: false}]);
});
