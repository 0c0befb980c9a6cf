import assert from 'node:assert/strict';
import {test} from 'node:test';
import {childEnv} from '../../../source/core/process/child-env.js';

const parent = {
	PATH: '/bin', HOME: '/home/u', SECRET_TOKEN: 'hunter2', LANG: 'C.UTF-8', AWS_SECRET_ACCESS_KEY: 'x',
};

test('a child gets the baseline and its server env, not the rest of mcpd\'s environment', () => {
	assert.deepEqual(childEnv(parent, {inheritEnv: false, env: {API_URL: 'http://x'}}), {
		PATH: '/bin', HOME: '/home/u', LANG: 'C.UTF-8', API_URL: 'http://x',
	});
});

test('inherit_env passes everything, server env on top', () => {
	const env = childEnv(parent, {inheritEnv: true, env: {HOME: '/srv'}});
	assert.equal(env.SECRET_TOKEN, 'hunter2');
	assert.equal(env.HOME, '/srv');
});

test('session env from headers wins over the server env', () => {
	assert.equal(childEnv(parent, {inheritEnv: false, env: {OPENAI_API_KEY: 'server'}, sessionEnv: {OPENAI_API_KEY: 'user'}}).OPENAI_API_KEY, 'user');
});
