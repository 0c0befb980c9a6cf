import {test} from 'node:test';
import assert from 'node:assert/strict';
import {parse} from 'smol-toml';
import {createLocator} from '../../source/config/locate.js';

const locateKey = (source: string, path: string[]) => createLocator(source)(path);

const text = String.raw`# mcpd config
[http]
port = 3000

[server.fs]
command = "npx"
args = [
  "-y",          # comment ] with a bracket
  "[server.fs]",
  "fake = 1",
]
description_like = '''
env = "not a key"
[server.fs.env]
'''
cwd = """
in_string = "not a key" \"""
"""

[server.fs.env]
X = "1"
'Y.Z' = "2"

[server."my.srv"]
command = "a"
env = {A = "b", "C.D" = { E = 1 }}

[server.other]
server.late.args = []
`;

test('finds keys in tables, sub-tables and after multi-line values', () => {
	assert.doesNotThrow(() => parse(text), 'the sample is valid TOML');
	const locate = createLocator(text);
	assert.equal(locate(['http', 'port']), 3);
	assert.equal(locate(['server', 'fs']), 5);
	assert.equal(locate(['server', 'fs', 'command']), 6);
	assert.equal(locate(['server', 'fs', 'args']), 7);
	assert.equal(locate(['server', 'fs', 'cwd']), 16);
	assert.equal(locate(['server', 'fs', 'env']), 20);
	assert.equal(locate(['server', 'fs', 'env', 'X']), 21);
	assert.equal(locate(['server', 'fs', 'env', 'Y.Z']), 22);
	// Text inside arrays and multi-line strings defines nothing: these fall back to the table.
	assert.equal(locate(['server', 'fs', 'in_string']), 5);
	assert.equal(locate(['server', 'fs', 'fake']), 5);
	assert.equal(locate(['server', 'fs', 'env', 'in_string']), 20);
});

test('finds quoted table names and keys of inline tables', () => {
	const locate = createLocator(text);
	assert.equal(locate(['server', 'my.srv']), 24);
	assert.equal(locate(['server', 'my.srv', 'env', 'A']), 26);
	assert.equal(locate(['server', 'my.srv', 'env', 'C.D', 'E']), 26);
});

test('finds dotted keys relative to the current table', () => {
	assert.equal(locateKey(text, ['server', 'other', 'server', 'late', 'args']), 29);
	assert.equal(locateKey('server.fs.args = ["a"]\nserver.fs.command = "x"\n', ['server', 'fs', 'command']), 2);
	assert.equal(locateKey('server.fs.args = ["a"]\nserver.fs.command = "x"\n', ['server', 'fs']), 1);
});

test('falls back to the enclosing table, then to line 1', () => {
	const locate = createLocator(text);
	assert.equal(locate(['server', 'fs', 'max_sessions']), 5);
	assert.equal(locate(['server', 'my.srv', 'env', 'missing']), 26);
	assert.equal(locate(['sessions', 'idle_timeout']), 1);
	assert.equal(locate([]), 1);
});

test('a table header beats an earlier sub-table that only implies it', () => {
	const source = '[server.fs.env]\nA = "1"\n\n[server.fs]\ncommand = "x"\n';
	assert.equal(locateKey(source, ['server', 'fs']), 4);
	assert.equal(locateKey(source, ['server', 'fs', 'args']), 4);
});

test('multi-line inline tables and escaped quoted keys', () => {
	const source = '[server.a]\nenv = {\n  A = "1",\n  "B\\u0043" = "2",\n}\n';
	assert.equal(locateKey(source, ['server', 'a', 'env', 'A']), 3);
	assert.equal(locateKey(source, ['server', 'a', 'env', 'BC']), 4);
});

test('CRLF line endings and arrays of tables', () => {
	const source = '[[x]]\r\na = 1\r\n[server.fs]\r\n\r\nargs = 1\r\n';
	assert.equal(locateKey(source, ['server', 'fs', 'args']), 5);
	assert.equal(locateKey(source, ['x']), 1);
});

test('never throws on text it cannot follow', () => {
	for (const source of ['[', '"', 'a = [1, {', 'a = """', 'a = \'\'\'x', '= = =', 'a.', '[a."b]\nc = 1']) {
		assert.equal(typeof locateKey(source, ['a', 'b']), 'number');
	}
});
