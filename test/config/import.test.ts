/**
 `mcpd import FILE` on real-shaped configs of each MCP client, through the
 real CLI: the TOML it prints loads in mcpd as the same servers, and what
 cannot be mapped is said in comments, never dropped silently.
 */
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {fileURLToPath} from 'node:url';
import {parseConfig} from '../../source/config/load.js';
import {runMcpd} from '../helpers/cli.js';

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/import/${name}`, import.meta.url));

async function importFile(name: string): Promise<{code: number | null; toml: string; stderr: string}> {
	const run = runMcpd(['import', fixture(name)]);
	const {code} = await run.exited;
	return {code, toml: run.stdout(), stderr: run.stderr()};
}

const env = {GITHUB_TOKEN: 'ghp-test', HOME: '/home/me', PGPASSWORD: 'pw'};

test('Claude Desktop: commands, args, env references and disabled servers; names made URL-safe', async () => {
	const {code, toml} = await importFile('claude_desktop_config.json');
	assert.equal(code, 0);
	const config = parseConfig(toml, 'imported.toml', env);
	assert.deepEqual(config.servers.map(server => [server.name, server.command, server.enabled]), [
		['filesystem', 'npx', true], ['github', 'docker', true], ['old-server', 'uvx', false],
	]);
	assert.deepEqual(config.servers[0].args, ['-y', '@modelcontextprotocol/server-filesystem', '/Users/me/Desktop', '/Users/me/Downloads']);
	assert.deepEqual(config.servers[1].env, {GITHUB_PERSONAL_ACCESS_TOKEN: 'ghp-test'});
	assert.match(toml, /^# "old server" renamed/m);
});

test('Claude Code: ${VAR} becomes ${env:VAR}; ${VAR:-default} and URL servers are comments', async () => {
	const {code, toml} = await importFile('claude-code.mcp.json');
	assert.equal(code, 0);
	const config = parseConfig(toml, 'imported.toml', env);
	assert.deepEqual(config.servers.map(server => server.name), ['memory']);
	assert.deepEqual(config.servers[0].env, {MEMORY_FILE_PATH: '/home/me/.memory.json'});
	assert.match(toml, /^# LOG = "\$\{LOG_LEVEL:-info\}" {2}\(set by hand/m);
	assert.match(toml, /^# \[server\.sentry\]: not imported, .*\(https:\/\/mcp\.sentry\.dev\/mcp\)/m);
});

test('Cursor: ${env:VAR} kept as is; a URL server with headers is a comment', async () => {
	const {code, toml} = await importFile('cursor-mcp.json');
	assert.equal(code, 0);
	assert.match(toml, /^PGPASSWORD = "\$\{env:PGPASSWORD\}"$/m);
	const config = parseConfig(toml, 'imported.toml', env);
	assert.deepEqual(config.servers.map(server => server.name), ['postgres']);
	assert.equal(config.servers[0].env.PGPASSWORD, 'pw');
	assert.match(toml, /^# \[server\.remote\]: not imported/m);
});

test('VS Code: "servers", cwd, ${input:…} and envFile are said, not lost', async () => {
	const {code, toml} = await importFile('vscode-mcp.json');
	assert.equal(code, 0);
	const config = parseConfig(toml, 'imported.toml', env);
	assert.deepEqual(config.servers.map(server => server.name), ['Perplexity', 'fetch']);
	assert.equal(config.servers[1].cwd, '/srv/fetch');
	assert.deepEqual(config.servers[0].env, {});
	assert.match(toml, /^# PERPLEXITY_API_KEY = "\$\{input:perplexity-key\}"/m);
	assert.match(toml, /^# envFile "\$\{workspaceFolder\}\/\.env" not imported/m);
	assert.match(toml, /^# \[server\.github\]: not imported/m);
});

test('a file that is not such a config is refused with exit 2 and a clear message', async () => {
	const missing = await importFile('no-such-file.json');
	assert.equal(missing.code, 2);
	assert.match(missing.stderr, /^mcpd: cannot read .*no-such-file\.json/);
	const run = runMcpd(['import', fileURLToPath(new URL('../../package.json', import.meta.url))]);
	assert.equal((await run.exited).code, 2);
	assert.match(run.stderr(), /no "mcpServers" or "servers" object/);
	assert.equal(run.stdout(), '');
});
