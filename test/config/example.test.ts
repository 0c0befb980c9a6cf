import {test} from 'node:test';
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {parse} from 'smol-toml';
import {ConfigError, parseConfig} from '../../source/config/load.js';
import {ConfigSchema, DEFAULTS, knownKeys, ServerSchema} from '../../source/config/schema.js';

const file = new URL('../../config.example.toml', import.meta.url);
const text = readFileSync(file, 'utf8');
// Plain objects (smol-toml's tables have no prototype), so deepEqual compares values only.
const example = JSON.parse(JSON.stringify(parse(text))) as Record<string, Record<string, unknown>>;
const servers = example.server as Record<string, Record<string, unknown>>;

/**
What the schema itself fills in, not what DEFAULTS claims.
*/
const schemaDefaults: Record<string, Record<string, unknown>> = ConfigSchema.parse({});
const {command: _command, ...serverDefaults}: Record<string, unknown> = ServerSchema.parse({command: 'x'});
const globalTables = ['http', 'sessions', 'log', 'agent', 'web'];
/**
Keys the example servers set to show how they are used, not to show their default.
*/
const perServer = new Set(['args', 'env', 'header_env']);

/**
Keys shown commented out (`# key = value`), by the table they appear under.
*/
function commentedKeys(): Map<string, Set<string>> {
	const keys = new Map<string, Set<string>>();
	let table = '';
	for (const line of text.split('\n')) {
		const header = /^\s*\[([^\]]+)\]/.exec(line);
		if (header) {
			table = header[1].trim();
		}

		const setting = /^#\s*([_a-z]+)\s*=/.exec(line);
		if (setting) {
			keys.set(table, (keys.get(table) ?? new Set()).add(setting[1]));
		}
	}

	return keys;
}

test('the example parses, with its two servers', () => {
	const config = parseConfig(text, 'config.example.toml', {OPENAI_API_KEY: 'sk-test'});
	assert.deepEqual(config.servers.map(server => server.name), ['fs', 'agent']);
	const [fs, agent] = config.servers;
	assert.equal(fs.command, 'npx');
	assert.deepEqual(fs.args, ['-y', '@modelcontextprotocol/server-filesystem', '/tmp']);
	assert.equal(agent.command, 'python');
	assert.deepEqual(agent.args, ['-m', 'mcp_code_mode.executor_server']);
	assert.deepEqual(agent.env, {OPENAI_API_KEY: 'sk-test'});
	assert.deepEqual(agent.headerEnv, {'x-openai-key': 'OPENAI_API_KEY'});
});

test('without OPENAI_API_KEY the example fails, naming it and where it is used', () => {
	const line = text.split('\n').findIndex(row => row.startsWith('OPENAI_API_KEY =')) + 1;
	assert.throws(() => parseConfig(text, 'config.example.toml', {}), (error: unknown) => {
		assert.ok(error instanceof ConfigError);
		assert.equal(error.message, `config.example.toml:${line}: server.agent.env.OPENAI_API_KEY uses \${env:OPENAI_API_KEY}, but OPENAI_API_KEY is not set`);
		return true;
	});
});

test('DEFAULTS is what the schema fills in', () => {
	for (const table of globalTables) {
		assert.deepEqual(schemaDefaults[table], DEFAULTS[table as keyof typeof DEFAULTS], table);
	}

	assert.deepEqual(serverDefaults, DEFAULTS.server);
	assert.deepEqual(schemaDefaults.server, {});
});

test('every global key is in the example with its default, or commented out when it has none', () => {
	const commented = commentedKeys();
	for (const table of globalTables) {
		for (const key of knownKeys([table])) {
			if (Object.hasOwn(schemaDefaults[table], key)) {
				assert.deepEqual(example[table][key], schemaDefaults[table][key], `${table}.${key}`);
			} else {
				assert.ok(!Object.hasOwn(example[table], key), `${table}.${key} has no default, so the example should not set it`);
				assert.ok(commented.get(table)?.has(key), `${table}.${key} is documented (commented out)`);
			}
		}

		for (const key of Object.keys(example[table])) {
			assert.ok(knownKeys([table]).includes(key), `${table}.${key} is a schema key`);
		}
	}

	assert.deepEqual(Object.keys(example).sort(), [...globalTables, 'server'].sort());
});

test('the example servers show defaults, and together every server key', () => {
	const commented = commentedKeys();
	const shown = new Set<string>();
	for (const [name, server] of Object.entries(servers)) {
		for (const [key, value] of Object.entries(server)) {
			shown.add(key);
			if (Object.hasOwn(serverDefaults, key) && !perServer.has(key)) {
				assert.deepEqual(value, serverDefaults[key], `server.${name}.${key}`);
			}
		}

		for (const key of commented.get(`server.${name}`) ?? []) {
			shown.add(key);
		}
	}

	for (const key of knownKeys(['server', 'fs'])) {
		assert.ok(shown.has(key), `server key ${key} is documented`);
	}

	// The fully spelt-out server shows every defaulted key, the per-server ones at their default too (but args).
	for (const [key, value] of Object.entries(serverDefaults)) {
		if (key !== 'args') {
			assert.deepEqual(servers.fs[key], value, `server.fs.${key}`);
		}
	}
});
