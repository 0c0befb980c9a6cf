import assert from 'node:assert/strict';
import {test} from 'node:test';
import {headerEnv} from '../../source/http/header-env.js';

const mapping = {'x-openai-key': 'OPENAI_API_KEY', 'x-gemini-key': 'GEMINI_API_KEY'};

test('maps only the allow-listed headers that are present', () => {
	assert.deepEqual(headerEnv({'x-openai-key': 'sk-1', 'x-other': 'nope'}, mapping), {OPENAI_API_KEY: 'sk-1'});
	assert.equal(headerEnv({'x-other': 'nope'}, mapping), undefined);
	assert.equal(headerEnv({'x-openai-key': ''}, mapping), undefined);
});

test('a repeated header uses its first value', () => {
	assert.deepEqual(headerEnv({'x-openai-key': ['first', 'second']}, mapping), {OPENAI_API_KEY: 'first'});
});

test('a value with NUL or a newline, or an oversized one, is refused naming the header, not the value', () => {
	for (const bad of ['a\u{0}b', 'a\nb', 'x'.repeat(16 * 1024 + 1)]) {
		assert.throws(() => headerEnv({'x-openai-key': bad}, mapping), (error: Error) => error.message.includes('x-openai-key') && !error.message.includes(bad));
	}
});
