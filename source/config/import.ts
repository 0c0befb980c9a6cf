import {serverNamePattern} from './schema.js';

/**
One server as the JSON configs of MCP clients write it.
*/
type JsonServer = {
	type?: unknown;
	command?: unknown;
	args?: unknown;
	env?: unknown;
	cwd?: unknown;
	url?: unknown;
	disabled?: unknown;
	envFile?: unknown;
};

export class ImportError extends Error {
	override readonly name = 'ImportError';
}

/**
 Converts the MCP server list of Claude Desktop, Claude Code, Cursor
 (`mcpServers`) or VS Code (`servers`) JSON into mcpd's TOML. Whatever has
 no equivalent (URL servers, `${input:…}` prompts, env files) becomes a
 comment saying so, so nothing is dropped silently. `${env:VAR}` stays as
 it is; Claude Code's `${VAR}` becomes `${env:VAR}`. A reference with no
 equivalent (`${VAR:-default}`, `${input:…}`) leaves its env line commented
 out, and in a command or argument is passed as written, with a comment.
 */
export function importConfig(text: string, source: string): string {
	let json: unknown;
	try {
		json = JSON.parse(text);
	} catch (error) {
		throw new ImportError(`${source}: not JSON (${(error as Error).message})`);
	}

	const root = json as {mcpServers?: unknown; servers?: unknown};
	const table = isRecord(root) ? root.mcpServers ?? root.servers : undefined;
	if (!isRecord(table)) {
		throw new ImportError(`${source}: no "mcpServers" or "servers" object (Claude Desktop, Claude Code, Cursor or VS Code format)`);
	}

	const out: string[] = [`# Imported from ${source} by mcpd import.`, ''];
	const used = new Set<string>();
	for (const [name, value] of Object.entries(table)) {
		out.push(...server(name, value as JsonServer, used), '');
	}

	return `${out.join('\n').trimEnd()}\n`;
}

function server(original: string, entry: JsonServer, used: Set<string>): string[] {
	const lines: string[] = [];
	let name = serverNamePattern.test(original) ? original : original.replaceAll(/[^\w\-.]+/g, '-').replace(/^[^\da-z]+/i, '') || 'server';
	while (used.has(name)) {
		name += '-2';
	}

	used.add(name);
	if (name !== original) {
		lines.push(`# "${original}" renamed: server names become part of a URL.`);
	}

	if (!isRecord(entry) || typeof entry.command !== 'string' || entry.command === '') {
		const url = isRecord(entry) && typeof entry.url === 'string' ? ` (${entry.url})` : '';
		return [...lines, `# [server.${quoteKey(name)}]: not imported, mcpd runs stdio commands and this one has none${url}.`];
	}

	lines.push(`[server.${quoteKey(name)}]`, `command = ${tomlString(entry.command, lines)}`);
	if (Array.isArray(entry.args) && entry.args.length > 0) {
		lines.push(`args = [${entry.args.map(arg => tomlString(String(arg), lines)).join(', ')}]`);
	}

	if (typeof entry.cwd === 'string') {
		lines.push(`cwd = ${tomlString(entry.cwd, lines)}`);
	}

	if (entry.disabled === true) {
		lines.push('enabled = false');
	}

	if (typeof entry.envFile === 'string') {
		lines.push(`# envFile ${JSON.stringify(entry.envFile)} not imported: list its variables in env below.`);
	}

	if (isRecord(entry.env) && Object.keys(entry.env).length > 0) {
		// A variable whose value mcpd cannot produce is left commented out, so the file still loads.
		const env = Object.entries(entry.env).map(([key, setting]) => {
			const notes: string[] = [];
			const line = `${quoteKey(key)} = ${tomlString(String(setting), notes)}`;
			return notes.length === 0 ? line : `# ${line}  (set by hand: ${notes.length === 1 ? 'this reference has' : 'these references have'} no equivalent in mcpd)`;
		});
		lines.push('', `[server.${quoteKey(name)}.env]`, ...env);
	}

	return lines;
}

/**
A TOML string for `text`, with variable references rewritten to mcpd's form; notes go to `notes`.
*/
function tomlString(text: string, notes: string[]): string {
	const converted = text.replaceAll(/\$\{([^}]*)\}/g, (whole, inner: string) => {
		if (inner.startsWith('env:')) {
			return whole;
		}

		if (/^[a-z_]\w*$/i.test(inner)) {
			return `\${env:${inner}}`;
		}

		notes.unshift(`# ${whole} is passed as written: mcpd expands only \${env:VAR}.`);
		return whole;
	});
	// TOML basic strings take JSON's escapes.
	return JSON.stringify(converted);
}

function quoteKey(key: string): string {
	return /^[\w-]+$/.test(key) ? key : JSON.stringify(key);
}

function isRecord(value: unknown): value is Record<string, unknown> {
	return value !== null && typeof value === 'object' && !Array.isArray(value);
}
