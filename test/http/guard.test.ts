import assert from 'node:assert/strict';
import {test} from 'node:test';
import {Guard, hostnameOf} from '../../source/http/guard.js';

test('hostnameOf strips ports and keeps IPv6 brackets', () => {
	assert.equal(hostnameOf('LocalHost:3000'), 'localhost');
	assert.equal(hostnameOf('[::1]:3000'), '[::1]');
	assert.equal(hostnameOf('example.com'), 'example.com');
});

test('on loopback: loopback Host names pass, foreign ones and DNS-rebinding names do not', () => {
	const guard = new Guard({bindHost: '127.0.0.1', allowedOrigins: [], token: undefined});
	for (const host of ['localhost:3000', '127.0.0.1:3000', '[::1]:3000', 'app.localhost']) {
		assert.equal(guard.checkOrigin(host, undefined), undefined, host);
	}

	assert.match(guard.checkOrigin('evil.example.com', undefined) ?? '', /not allowed/);
	assert.match(guard.checkOrigin('127.0.0.1.nip.io', undefined) ?? '', /not allowed/);
	assert.match(guard.checkOrigin(undefined, undefined) ?? '', /missing Host/);
});

test('Origin: loopback origins and configured ones pass; others and "null" are refused', () => {
	const guard = new Guard({bindHost: '127.0.0.1', allowedOrigins: ['https://app.example.com'], token: undefined});
	assert.equal(guard.checkOrigin('localhost', 'http://localhost:5173'), undefined);
	assert.equal(guard.checkOrigin('localhost', 'https://app.example.com'), undefined);
	assert.equal(guard.checkOrigin('app.example.com', 'https://app.example.com'), undefined, 'the allowed origin\'s host is an allowed Host');
	assert.match(guard.checkOrigin('localhost', 'https://app.example.com.evil.io') ?? '', /allowed_origins/);
	assert.match(guard.checkOrigin('localhost', 'null') ?? '', /null/);
});

test('bound to every interface the Host is not checked (the token is the defence there)', () => {
	const guard = new Guard({bindHost: '0.0.0.0', allowedOrigins: [], token: 't'});
	assert.equal(guard.checkOrigin('my-server.lan:3000', undefined), undefined);
	assert.match(guard.checkOrigin('my-server.lan:3000', 'https://evil.example.com') ?? '', /not allowed/);
});

test('with the chat page on, its own origin passes wherever mcpd is reached, other origins still do not', () => {
	const lan = new Guard({
		bindHost: '192.168.1.5', allowedOrigins: [], token: 't', sameOrigin: true,
	});
	assert.equal(lan.checkOrigin('192.168.1.5:3000', 'http://192.168.1.5:3000'), undefined);
	assert.match(lan.checkOrigin('192.168.1.5:3000', 'http://192.168.1.5:3001') ?? '', /not allowed/, 'another port is another origin');
	assert.match(lan.checkOrigin('192.168.1.5:3000', 'https://evil.example.com') ?? '', /not allowed/);
	assert.match(lan.checkOrigin('evil.example.com:3000', 'https://evil.example.com:3000') ?? '', /Host .* not allowed/, 'the Host check comes first');

	const wildcard = new Guard({
		bindHost: '0.0.0.0', allowedOrigins: [], token: 't', sameOrigin: true,
	});
	assert.equal(wildcard.checkOrigin('chat.example.com', 'https://chat.example.com'), undefined);
	assert.match(wildcard.checkOrigin('chat.example.com', 'https://other.example.com') ?? '', /not allowed/);

	// Nothing vouches for the Host there: a rebinding page would be same-origin with its own name.
	const open = new Guard({
		bindHost: '0.0.0.0', allowedOrigins: [], token: undefined, sameOrigin: true,
	});
	assert.match(open.checkOrigin('rebind.example.com:3000', 'https://rebind.example.com:3000') ?? '', /not allowed/);
	const off = new Guard({bindHost: '192.168.1.5', allowedOrigins: [], token: 't'});
	assert.match(off.checkOrigin('192.168.1.5:3000', 'http://192.168.1.5:3000') ?? '', /not allowed/, 'only with the page on');
});

test('bearer tokens: exact match only, scheme case-insensitive', () => {
	const guard = new Guard({bindHost: '127.0.0.1', allowedOrigins: [], token: 'abc123'});
	assert.equal(guard.checkToken('Bearer abc123'), true);
	assert.equal(guard.checkToken('bearer abc123'), true);
	assert.equal(guard.checkToken('Bearer abc1234'), false);
	assert.equal(guard.checkToken('Basic abc123'), false);
	assert.equal(guard.checkToken(undefined), false);
	assert.equal(new Guard({bindHost: '127.0.0.1', allowedOrigins: [], token: undefined}).checkToken(undefined), true);
});
