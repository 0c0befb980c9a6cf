/**
 The dependency rule ui → store → core ← http: core logic imports no UI or
 HTTP code, so the dashboard and the HTTP layer both use only its API.
 */
import assert from 'node:assert/strict';
import {readdirSync, readFileSync} from 'node:fs';
import path from 'node:path';
import {test} from 'node:test';
import {fileURLToPath} from 'node:url';

const SOURCE = fileURLToPath(new URL('../../source/', import.meta.url));

function filesUnder(dir: string): string[] {
	return readdirSync(dir, {withFileTypes: true}).flatMap(entry => {
		const full = path.join(dir, entry.name);
		return entry.isDirectory() ? filesUnder(full) : (/\.tsx?$/.test(entry.name) ? [full] : []);
	});
}

function importsOf(file: string): string[] {
	return [...readFileSync(file, 'utf8').matchAll(/^\s*(?:import|export)\b[^"']*?from\s+'([^']+)'|import\('([^']+)'\)/gm)].map(match => match[1] ?? match[2]);
}

const forbidden: Record<string, RegExp> = {
	core: /^(?:fastify|ink|react|ink-.*|@fastify\/.*)$|\/(?:http|ui|store|headless|agent)\//,
	store: /^(?:fastify|ink|react)$|\/(?:http|ui|headless)\//,
	// The MCP client of mcpd's own endpoint, used by `mcpd ask` and the prompt pane alike.
	agent: /^(?:fastify|ink|react)$|\/(?:ui|store|http|ask|prompt)\//,
	ask: /^(?:fastify|ink|react)$|\/(?:ui|store|prompt)\//,
	// The prompt pane's controller implements the dashboard's port and imports nothing else of it.
	prompt: /^(?:fastify|ink|react)$|\/(?:store|http|ask)\/|\/ui\/(?!prompt-port\.js$)/,
	// The dashboard renders; the agent reaches it only through its PromptPort.
	ui: /\/(?:agent|ask|prompt|http)\//,
	lib: /^\.\.\//,
	// The chat page's server side reads the config; the page itself is a client like any other.
	web: /^(?:ink|react|ink-.*)$|\/(?:core|ui|store|headless|agent)\//,
};

for (const [folder, rule] of Object.entries(forbidden)) {
	test(`source/${folder} imports nothing it must not`, () => {
		const files = filesUnder(path.join(SOURCE, folder));
		assert.ok(files.length > 0);
		const offending = files.flatMap(file => importsOf(file).filter(specifier => rule.test(specifier)).map(specifier => `${path.relative(SOURCE, file)} → ${specifier}`));
		assert.deepEqual(offending, []);
	});
}

test('the demo server, spawned for every demo session, imports only Node and its own folder', () => {
	// Type-only imports cost nothing at run time; an SDK or zod import would be most of its start-up.
	const offending = filesUnder(path.join(SOURCE, 'demo')).flatMap(file => [...readFileSync(file, 'utf8').matchAll(/^\s*(?:import|export)\b(?!\s+type\b)[^"']*?from\s+'([^']+)'|import\('([^']+)'\)/gm)]
		.map(match => match[1] ?? match[2])
		.filter(specifier => !/^node:|^\.\/[\w-]+\.js$/.test(specifier))
		.map(specifier => `${path.relative(SOURCE, file)} → ${specifier}`));
	assert.deepEqual(offending, []);
});

test('chat/ is served as it is: its modules import only each other', () => {
	const dir = fileURLToPath(new URL('../../chat/', import.meta.url));
	const modules = readdirSync(dir).filter(name => name.endsWith('.js'));
	const offending = modules.flatMap(file => importsOf(path.join(dir, file))
		.filter(specifier => !/^\.\/[\w-]+\.js$/.test(specifier) || !modules.includes(specifier.slice(2)))
		.map(specifier => `${file} → ${specifier}`));
	assert.deepEqual(offending, []);
});
