import assert from 'node:assert/strict';
import {test} from 'node:test';
import {loadMeow} from '../../source/lib/meow.js';

test('loadMeow gives meow and puts String#localeCompare back as it was', async () => {
	const original = String.prototype.localeCompare;
	const meow = await loadMeow();
	assert.equal(String.prototype.localeCompare, original);
	// By locale, not by code point ('B' is 0x42, 'a' 0x61).
	assert.equal('a'.localeCompare('B'), -1);
	const cli = meow('help', {importMeta: import.meta, argv: ['--port', '8080', '--no-tui'], flags: {port: {type: 'string'}, tui: {type: 'boolean', default: true}}});
	assert.deepEqual(cli.flags, {port: '8080', tui: false});
});
