import {test} from 'node:test';
import assert from 'node:assert/strict';
import {expandEnv, expandString} from '../../source/config/expand.js';

const env = {HOME: '/home/u', KEY: 'sk-1', EMPTY: ''};

test('replaces ${env:NAME} anywhere in a string', () => {
	assert.deepEqual(expandString('${env:KEY}', env), {value: 'sk-1', problems: []});
	assert.deepEqual(expandString('prefix-${env:HOME}/x', env), {value: 'prefix-/home/u/x', problems: []});
	assert.deepEqual(expandString('${env:HOME}:${env:KEY}', env), {value: '/home/u:sk-1', problems: []});
	assert.deepEqual(expandString('a${env:EMPTY}b', env), {value: 'ab', problems: []});
});

test('leaves other dollar forms alone and $${env:X} is the literal text', () => {
	assert.deepEqual(expandString('$HOME ${HOME} $$ ${env', env), {value: '$HOME ${HOME} $$ ${env', problems: []});
	assert.deepEqual(expandString('$${env:KEY}', env), {value: '${env:KEY}', problems: []});
	assert.deepEqual(expandString('$${env:KEY}=${env:KEY}', env), {value: '${env:KEY}=sk-1', problems: []});
});

test('reports unset, malformed and unclosed references', () => {
	assert.deepEqual(expandString('x-${env:NOPE}', env).problems, ['uses ${env:NOPE}, but NOPE is not set']);
	assert.match(expandString('${env:A B}', env).problems[0], /malformed reference \$\{env:A B\}/);
	assert.match(expandString('${env:}', env).problems[0], /malformed/);
	assert.match(expandString('${env:HOME', env).problems[0], /unclosed/);
});

test('walks tables and arrays, reports key paths without array indices, skips what it is told to', () => {
	const data = {
		http: {token: '${env:KEY}', port: 3000},
		server: {fs: {args: ['a', '${env:MISSING}'], env: {X: '${env:HOME}'}, header_env: {'X-A': '${env:NOT_EXPANDED}'}}},
	};
	const {value, problems} = expandEnv(data, env, {skip: path => path.at(-1) === 'header_env'});
	assert.deepEqual(JSON.parse(JSON.stringify(value)), {
		http: {token: 'sk-1', port: 3000},
		server: {fs: {args: ['a', '${env:MISSING}'], env: {X: '/home/u'}, header_env: {'X-A': '${env:NOT_EXPANDED}'}}},
	});
	assert.deepEqual(problems, [{path: ['server', 'fs', 'args'], reason: 'uses ${env:MISSING}, but MISSING is not set'}]);
	assert.equal(data.http.token, '${env:KEY}', 'the input is not changed');
});
