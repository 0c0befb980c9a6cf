import {test} from 'node:test';
import assert from 'node:assert/strict';
import {applyOverrides, ConfigError, defaultConfig, parseConfig, serverDefaults} from '../../source/config/load.js';

const base = parseConfig('[sessions]\nidle_timeout = 60\n[server.a]\ncommand = "a"\n[server.b]\ncommand = "b"\nidle_timeout = 10\n', 'mcpd.toml', {});

test('overrides replace what they name and leave the input alone', () => {
	const config = applyOverrides(base, {
		host: '0.0.0.0', port: '8080', logLevel: 'debug', logFormat: 'json', logFile: '/tmp/mcpd.log',
	});
	assert.equal(config.http.host, '0.0.0.0');
	assert.equal(config.http.port, 8080);
	assert.deepEqual(config.log, {level: 'debug', format: 'json', file: '/tmp/mcpd.log'});
	assert.equal(base.http.port, 3000);
	assert.equal(base.log.level, 'info');
	assert.deepEqual(applyOverrides(base, {}), base);
	assert.equal(applyOverrides(base, {port: 0}).http.port, 0);
});

test('--web turns the chat page on; its absence leaves the file\'s setting', () => {
	assert.equal(base.web.enabled, false);
	assert.equal(applyOverrides(base, {web: true}).web.enabled, true);
	const fromFile = parseConfig('[web]\nenabled = true\n', 'mcpd.toml', {});
	assert.equal(applyOverrides(fromFile, {}).web.enabled, true);
});

test('the idle timeout override moves the servers that inherit it', () => {
	const config = applyOverrides(base, {idleTimeoutSeconds: '1.5'});
	assert.equal(config.sessions.idleTimeoutMs, 1500);
	assert.equal(config.servers[0].idleTimeoutMs, 1500);
	assert.equal(config.servers[1].idleTimeoutMs, 10_000, 'its own idle_timeout stays');
});

test('invalid overrides are all reported, under the given origin', () => {
	assert.throws(
		() => applyOverrides(base, {port: 70_000, logLevel: 'loud', idleTimeoutSeconds: 'soon'}, 'MCP_PORT'),
		(error: unknown) => {
			assert.ok(error instanceof ConfigError);
			assert.deepEqual(error.message.split('\n'), [
				'MCP_PORT: port must be an integer from 0 to 65535 (got 70000)',
				'MCP_PORT: log level must be one of debug, info, warn, error (got "loud")',
				'MCP_PORT: idle timeout must be a number of seconds > 0 (got "soon")',
			]);
			return true;
		},
	);
	for (const port of ['', '0x10', '1e3', '80.5', '-1', 1.5, 65_536]) {
		assert.throws(() => applyOverrides(base, {port}), {message: /port must be an integer from 0 to 65535/}, String(port));
	}

	assert.throws(() => applyOverrides(base, {host: ''}), {message: 'command line: host must be a non-empty string (got "")'});
});

test('serverDefaults and defaultConfig: every default, given servers', () => {
	const server = serverDefaults('seed', 'python', ['server.py']);
	assert.deepEqual(server, parseConfig('[server.seed]\ncommand = "python"\nargs = ["server.py"]\n', 'x', {}).servers[0]);
	const config = defaultConfig([server], '<command line>');
	assert.deepEqual(config, {...parseConfig('', '<command line>', {}), servers: [server]});
	assert.throws(() => serverDefaults('bad name', 'x'), TypeError);
	assert.throws(() => serverDefaults('ok', ''), TypeError);
});
