import assert from 'node:assert/strict';
import {test} from 'node:test';
import Fastify from 'fastify';
import {lazySchemaCompilers} from '../../source/http/schema-compilers.js';

// No mcpd route has a schema; should one, the compilers loaded late must still validate and serialize.
test('the lazily loaded schema compilers validate bodies and serialize replies', async () => {
	const app = Fastify({schemaController: {compilersFactory: lazySchemaCompilers}});
	app.post('/echo', {
		schema: {
			body: {type: 'object', required: ['a'], properties: {a: {type: 'number'}}},
			response: {200: {type: 'object', properties: {b: {type: 'string'}}}},
		},
	}, async request => ({b: String((request.body as {a: number}).a), extra: true}));
	const valid = await app.inject({method: 'POST', url: '/echo', payload: {a: 2}});
	assert.deepEqual(valid.json(), {b: '2'});
	const invalid = await app.inject({method: 'POST', url: '/echo', payload: {}});
	assert.equal(invalid.statusCode, 400);
	await app.close();
});
