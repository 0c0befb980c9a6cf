import {test} from 'node:test';
import assert from 'node:assert/strict';
import {ConfigError, parseConfig} from '../../source/config/load.js';

const env = {HOME: '/home/u', OPENAI_API_KEY: 'sk-test'};

/**
The ConfigError `parseConfig` throws for `text`.
*/
function failure(text: string, environment: Record<string, string> = env): ConfigError {
	try {
		parseConfig(text, 'mcpd.toml', environment);
	} catch (error) {
		assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${String(error)}`);
		return error;
	}

	assert.fail('parseConfig accepted the config');
}

test('a TOML syntax error names the file and line', () => {
	const error = failure('[http]\nport = 3000\n\nhost = 127.0.0.1\n');
	assert.equal(error.message, 'mcpd.toml:4: invalid TOML: illegal character in numeric literal');
	assert.equal(error.line, 4);
	assert.equal(error.key, undefined);
	assert.equal(error.file, 'mcpd.toml');
});

test('a syntax error after a multi-line array is on its own line', () => {
	const error = failure('[server.fs]\nargs = [\n  "a",\n  "b",\n]\ncommand = "x" extra\n');
	assert.equal(error.line, 6);
	assert.match(error.message, /^mcpd\.toml:6: invalid TOML: /);
});

test('args = "x" reads exactly as the file:line: key reason', () => {
	const text = [
		'# servers', // 1
		'[server.fs]', // 2
		'command = """', // 3
		'npx', // 4
		'args = ["in a string"]', // 5
		'"""', // 6
		'env = {A = "1",', // 7
		'       B = "2"}', // 8
		'args = "x"', // 9
	].join('\n');
	const error = failure(text);
	assert.equal(error.message, 'mcpd.toml:9: server.fs.args must be an array of strings');
	assert.equal(error.line, 9);
	assert.equal(error.key, 'server.fs.args');
});

test('an array with a non-string element is reported once, at its key', () => {
	const error = failure('[server.fs]\ncommand = "x"\nargs = [\n  1,\n  2,\n]\n');
	assert.equal(error.message, 'mcpd.toml:3: server.fs.args must be an array of strings');
});

test('dotted keys are located too', () => {
	const error = failure('server.fs.command = "x"\nserver.fs.args = 5\n');
	assert.equal(error.message, 'mcpd.toml:2: server.fs.args must be an array of strings');
});

test('unknown keys are errors, with a suggestion when one is close', () => {
	assert.equal(
		failure('[server.fs]\ncommand = "x"\nmax_sesions = 2\n').message,
		'mcpd.toml:3: server.fs.max_sesions is not a known key (did you mean max_sessions?)',
	);
	assert.equal(failure('[server.fs]\ncommand = "x"\ninheritEnv = true\n').message, 'mcpd.toml:3: server.fs.inheritEnv is not a known key (did you mean inherit_env?)');
	assert.equal(failure('[http]\nport = 1\n[sesions]\nmax_total = 1\n').message, 'mcpd.toml:3: sesions is not a known key (did you mean sessions?)');
	assert.equal(
		failure('[log]\nzzz = 1\n').message,
		'mcpd.toml:2: log.zzz is not a known key (known: level, format, file)',
	);
});

test('a missing command is reported at the server table', () => {
	const error = failure('[http]\nport = 1\n\n[server.fs]\nargs = []\n');
	assert.equal(error.message, 'mcpd.toml:4: server.fs.command is required');
	assert.equal(failure('[server.fs]\ncommand = ""\n').message, 'mcpd.toml:2: server.fs.command must be a non-empty string');
});

test('every problem is reported, one per line, in file order', () => {
	const error = failure('[http]\nport = "3000"\nmax_body = 0\n[log]\nlevel = "verbose"\n[server.fs]\nenabled = "yes"\n');
	assert.deepEqual(error.message.split('\n'), [
		'mcpd.toml:2: http.port must be an integer from 0 to 65535',
		'mcpd.toml:3: http.max_body must be an integer number of bytes > 0',
		'mcpd.toml:5: log.level must be one of debug, info, warn, error',
		'mcpd.toml:6: server.fs.command is required',
		'mcpd.toml:7: server.fs.enabled must be true or false',
	]);
	assert.equal(error.problems.length, 5);
	assert.equal(error.line, 2);
	assert.equal(error.key, 'http.port');
});

test('numbers: ranges, fractions, timer overflow', () => {
	assert.equal(failure('[sessions]\nidle_timeout = 0\n').message, 'mcpd.toml:2: sessions.idle_timeout must be a number of seconds > 0');
	assert.equal(failure('[sessions]\nkill_grace = -1\n').message, 'mcpd.toml:2: sessions.kill_grace must be a number of seconds ≥ 0');
	assert.equal(failure('[sessions]\nmax_total = 1.5\n').message, 'mcpd.toml:2: sessions.max_total must be an integer ≥ 0');
	assert.equal(failure('[sessions]\nmax_age = inf\n').message, 'mcpd.toml:2: sessions.max_age must be a number of seconds ≥ 0');
	// 30 days overflows setTimeout, which would then fire at once.
	assert.equal(failure('[sessions]\nmax_age = 2592000\n').message, 'mcpd.toml:2: sessions.max_age must be at most 2147483 seconds (about 24 days)');
	assert.equal(failure('[http]\nport = 65536\n').message, 'mcpd.toml:2: http.port must be an integer from 0 to 65535');
});

test('tables that are not tables, and bad server names', () => {
	assert.equal(failure('http = 5\n').message, 'mcpd.toml:1: http must be a table');
	assert.equal(failure('[server]\nfs = "npx"\n').message, 'mcpd.toml:2: server.fs must be a table');
	assert.match(failure('[server."my srv"]\ncommand = "x"\n').message, /^mcpd\.toml:1: server\."my srv" is not a valid server name/);
	assert.match(failure('[server._x]\ncommand = "x"\n').message, /^mcpd\.toml:1: server\._x is not a valid server name/);
});

test('__proto__ keys are reported, not silently dropped', () => {
	assert.deepEqual(failure('[server.__proto__]\ncommand = "x"\n[server.a]\ncommand = "y"\nenv = {"__proto__" = "1"}\n[http.__proto__]\n').message.split('\n'), [
		'mcpd.toml:1: server.__proto__ is not allowed as a key',
		'mcpd.toml:5: server.a.env.__proto__ is not allowed as a key',
		'mcpd.toml:6: http.__proto__ is not allowed as a key',
	]);
	// `constructor` is an ordinary name.
	assert.equal(parseConfig('[server.constructor]\ncommand = "x"\n', 'mcpd.toml', {}).servers[0].name, 'constructor');
});

test('allowed_origins must be exact origins', () => {
	assert.equal(
		failure('[http]\nallowed_origins = ["https://ok.example", "https://bad.example/"]\n').message,
		'mcpd.toml:2: http.allowed_origins must list origins like https://example.com:8443 (no path, no trailing slash), not "https://bad.example/"',
	);
});

test('${env:VAR} is expanded in every string value', () => {
	const config = parseConfig(
		[
			'[http]',
			'host = "${env:HOST}"',
			'token = "${env:TOKEN}"',
			'allowed_origins = ["https://${env:HOST_NAME}"]',
			'[log]',
			'file = "${env:HOME}/mcpd.log"',
			'[server.fs]',
			'command = "${env:HOME}/bin/fs"',
			'args = ["prefix-${env:HOME}/x", "$${env:LITERAL}"]',
			'cwd = "${env:HOME}"',
			'env = {OPENAI_API_KEY = "${env:OPENAI_API_KEY}"}',
			'header_env = {"X-Key" = "OPENAI_API_KEY"}',
		].join('\n'),
		'mcpd.toml',
		{
			...env, HOST: '0.0.0.0', TOKEN: 's3cret', HOST_NAME: 'app.example',
		},
	);
	assert.equal(config.http.host, '0.0.0.0');
	assert.equal(config.http.token, 's3cret');
	assert.deepEqual(config.http.allowedOrigins, ['https://app.example']);
	assert.equal(config.log.file, '/home/u/mcpd.log');
	const [server] = config.servers;
	assert.equal(server.command, '/home/u/bin/fs');
	assert.deepEqual(server.args, ['prefix-/home/u/x', '${env:LITERAL}']);
	assert.deepEqual(server.argsAsWritten, ['prefix-${env:HOME}/x', '$${env:LITERAL}'], 'what /status may show');
	assert.equal(server.cwd, '/home/u');
	assert.deepEqual(server.env, {OPENAI_API_KEY: 'sk-test'});
	assert.deepEqual(server.headerEnv, {'x-key': 'OPENAI_API_KEY'});
});

test('args with no reference in them are kept once', () => {
	const [server] = parseConfig('[server.fs]\ncommand = "fs"\nargs = ["--root", "/srv"]\n', 'mcpd.toml', env).servers;
	assert.deepEqual(server.args, ['--root', '/srv']);
	assert.equal(server.argsAsWritten, undefined);
});

test('a missing variable is an error naming the variable and the key', () => {
	const error = failure('[server.agent]\ncommand = "python"\n\n[server.agent.env]\nOPENAI_API_KEY = "${env:OPENAI_API_KEY}"\n', {HOME: '/home/u'});
	assert.equal(error.message, 'mcpd.toml:5: server.agent.env.OPENAI_API_KEY uses ${env:OPENAI_API_KEY}, but OPENAI_API_KEY is not set');
	assert.equal(error.key, 'server.agent.env.OPENAI_API_KEY');
});

test('a variable that is set but empty may not empty a required value', () => {
	assert.equal(failure('[http]\ntoken = "${env:TOKEN}"\n', {TOKEN: ''}).message, 'mcpd.toml:2: http.token must be a non-empty string');
});

test('header_env: valid names are lower-cased; bad ones are errors', () => {
	const config = parseConfig('[server.a]\ncommand = "x"\n[server.a.header_env]\n"X-OpenAI-Key" = "OPENAI_API_KEY"\nx_trace = "TRACE_ID"\n', 'mcpd.toml', env);
	assert.deepEqual(config.servers[0].headerEnv, {'x-openai-key': 'OPENAI_API_KEY', x_trace: 'TRACE_ID'});

	const error = failure(
		[
			'[server.a]', // 1
			'command = "x"', // 2
			'[server.a.header_env]', // 3
			'"X Key" = "A"', // 4
			'"X-Ok" = "1A"', // 5
			'Authorization = "AUTH"', // 6
			'"X-Env" = "${env:HOME}"', // 7: values are names, not expanded
		].join('\n'),
	);
	assert.deepEqual(error.message.split('\n'), [
		'mcpd.toml:4: server.a.header_env."X Key" is not a valid HTTP header name',
		'mcpd.toml:5: server.a.header_env.X-Ok must be an environment variable name (letters, digits and _, not starting with a digit)',
		'mcpd.toml:6: server.a.header_env.Authorization may not be passed to a child (it carries the client credentials for mcpd itself)',
		'mcpd.toml:7: server.a.header_env.X-Env must be an environment variable name (letters, digits and _, not starting with a digit)',
	]);
});

test('header_env names differing only in case are an error', () => {
	assert.equal(
		failure('[server.a]\ncommand = "x"\nheader_env = {"X-Key" = "A"}\n[server.b]\ncommand = "y"\n[server.b.header_env]\n"X-Key" = "A"\n"x-key" = "B"\n').message,
		'mcpd.toml:8: server.b.header_env.x-key repeats X-Key (header names are case-insensitive)',
	);
});

test('prewarm cannot go with header_env, whose env exists only at a session\'s initialize', () => {
	assert.equal(
		failure('[server.a]\ncommand = "x"\nprewarm = 2\nheader_env = {"x-key" = "KEY"}\n').message,
		'mcpd.toml:3: server.a.prewarm cannot be used with header_env: a legacy session\'s env is known only at its initialize (2026-07-28 identities keep their child warm already)',
	);
	assert.equal(parseConfig('[server.a]\ncommand = "x"\nprewarm = 2\n', 'mcpd.toml', env).servers[0].prewarm, 2);
});

test('request_timeout_max may not be below request_timeout', () => {
	assert.equal(
		failure('[server.a]\ncommand = "x"\nrequest_timeout = 60\nrequest_timeout_max = 30\n').message,
		'mcpd.toml:4: server.a.request_timeout_max must be ≥ request_timeout (60)',
	);
	// Only the timeout is in the file: that is the key to blame.
	assert.equal(
		failure('[server.a]\ncommand = "x"\nrequest_timeout = 7200\n').message,
		'mcpd.toml:3: server.a.request_timeout must be ≤ request_timeout_max (3600, the default)',
	);
	assert.equal(parseConfig('[server.a]\ncommand = "x"\nrequest_timeout = 60\nrequest_timeout_max = 60\n', 'mcpd.toml', env).servers[0].requestTimeoutMaxMs, 60_000);
});

test('[http] limits: seconds to ms, 0 turns a limit off, headers_timeout may not exceed request_timeout', () => {
	const {http} = parseConfig('[http]\nheaders_timeout = 2.5\nrequest_timeout = 0\nmax_connections = 0\n', 'mcpd.toml', env);
	assert.equal(http.headersTimeoutMs, 2500);
	assert.equal(http.requestTimeoutMs, 0);
	assert.equal(http.maxConnections, 0);
	assert.equal(
		failure('[http]\nheaders_timeout = 60\nrequest_timeout = 30\n').message,
		'mcpd.toml:3: http.request_timeout must be 0 or ≥ headers_timeout (60)',
	);
	assert.equal(
		failure('[http]\nheaders_timeout = 600\n').message,
		'mcpd.toml:2: http.headers_timeout must be ≤ request_timeout (300, the default)',
	);
	assert.equal(failure('[http]\nmax_connections = -1\n').message, 'mcpd.toml:2: http.max_connections must be an integer ≥ 0');
});

test('agent.server must name a configured server', () => {
	assert.equal(
		failure('[agent]\nserver = "agnet"\n[server.agent]\ncommand = "x"\n').message,
		'mcpd.toml:2: agent.server names no [server.agnet] table (did you mean agent?)',
	);
	assert.equal(parseConfig('[agent]\nserver = "agent"\n[server.agent]\ncommand = "x"\n', 'mcpd.toml', env).agent.server, 'agent');
});

test('seconds become milliseconds, fractions included', () => {
	const config = parseConfig(
		[
			'[sessions]',
			'idle_timeout = 0.5',
			'max_age = 0',
			'kill_grace = 1.25',
			'[agent]',
			'timeout = 90',
			'max_total = 600',
			'[server.a]',
			'command = "x"',
			'request_timeout = 2.5',
			'request_timeout_max = 10',
			'[server.b]',
			'command = "y"',
			'idle_timeout = 60',
		].join('\n'),
		'mcpd.toml',
		env,
	);
	assert.deepEqual(config.sessions, {
		idleTimeoutMs: 500, maxAgeMs: 0, maxTotal: 100, killGraceMs: 1250, maxBuffered: 4_194_304, stallTimeoutMs: 30_000,
	});
	assert.deepEqual(config.agent, {
		server: '', tool: 'run_agent', timeout: 90, maxTotalMs: 600_000,
	});
	const [a, b] = config.servers;
	assert.equal(a.requestTimeoutMs, 2500);
	assert.equal(a.requestTimeoutMaxMs, 10_000);
	assert.equal(a.idleTimeoutMs, 500, 'inherits [sessions] idle_timeout');
	assert.equal(b.idleTimeoutMs, 60_000);
});

test('an empty file gives every default and no servers', () => {
	assert.deepEqual(parseConfig('', 'mcpd.toml', {}), {
		source: 'mcpd.toml',
		http: {
			host: '127.0.0.1', port: 3000, allowedOrigins: [], maxBody: 67_108_864, headersTimeoutMs: 30_000, requestTimeoutMs: 300_000, maxConnections: 1024, instanceId: '',
		},
		sessions: {
			idleTimeoutMs: 300_000, maxAgeMs: 86_400_000, maxTotal: 100, killGraceMs: 2000, maxBuffered: 4_194_304, stallTimeoutMs: 30_000,
		},
		log: {level: 'info', format: 'text'},
		agent: {
			server: '', tool: 'run_agent', timeout: 120, maxTotalMs: 3_600_000,
		},
		web: {enabled: false},
		servers: [],
	});
});

test('a server gets every default', () => {
	assert.deepEqual(parseConfig('[server.fs]\ncommand = "npx"\n', 'mcpd.toml', {}).servers, [
		{
			name: 'fs',
			command: 'npx',
			args: [],
			env: {},
			inheritEnv: false,
			enabled: true,
			requestTimeoutMs: 300_000,
			requestTimeoutMaxMs: 3_600_000,
			idleTimeoutMs: 300_000,
			maxSessions: 0,
			headerEnv: {},
			modernChildren: 1,
			prewarm: 0,
			inputTimeoutMs: 50_000,
			listTtlMs: 60_000,
			startTimeoutMs: 30_000,
			backoffMaxMs: 60_000,
			crashLimit: 5,
			crashWindowMs: 60_000,
		},
	]);
});

test('the failing-server keys take fractions of seconds, and crash_limit 0', () => {
	const [server] = parseConfig('[server.fs]\ncommand = "npx"\nstart_timeout = 0.5\nbackoff_max = 2.5\ncrash_limit = 0\ncrash_window = 10\n', 'mcpd.toml', {}).servers;
	assert.deepEqual([server.startTimeoutMs, server.backoffMaxMs, server.crashLimit, server.crashWindowMs], [500, 2500, 0, 10_000]);
	assert.throws(() => parseConfig('[server.fs]\ncommand = "npx"\nstart_timeout = 0\ncrash_limit = 1.5\n', 'mcpd.toml', {}), {
		message: 'mcpd.toml:3: server.fs.start_timeout must be a number of seconds > 0\nmcpd.toml:4: server.fs.crash_limit must be an integer ≥ 0',
	});
});

test('servers keep file order, numeric names and inline tables included', () => {
	const text = '[server.zeta]\ncommand = "z"\n[server.2]\ncommand = "2"\n[server."my.srv"]\ncommand = "m"\n[server.1]\ncommand = "1"\nenabled = false\n';
	const config = parseConfig(text, 'mcpd.toml', {});
	assert.deepEqual(config.servers.map(server => server.name), ['zeta', '2', 'my.srv', '1']);
	assert.equal(config.servers[3].enabled, false);
	const inline = parseConfig('server = {b = {command = "b"}, a = {command = "a"}}\n', 'mcpd.toml', {});
	assert.deepEqual(inline.servers.map(server => server.name), ['b', 'a']);
});

test('the config is fresh each time: defaults are not shared', () => {
	const first = parseConfig('[server.a]\ncommand = "x"\n', 'mcpd.toml', {});
	first.http.allowedOrigins.push('https://x.example');
	first.servers[0].args.push('y');
	const second = parseConfig('[server.a]\ncommand = "x"\n', 'mcpd.toml', {});
	assert.deepEqual(second.http.allowedOrigins, []);
	assert.deepEqual(second.servers[0].args, []);
});
