import {accessSync, constants, statSync} from 'node:fs';
import path from 'node:path';

export type CommandLookup =
	| {found: true; file: string}
	| {found: false; why: 'not found' | 'not executable'; searched: string[]};

/**
 Finds `command` as the kernel would run it for a child: a name with a slash
 is a path (relative to the child's `cwd`); a bare name is looked up in each
 directory of the child's PATH, an empty entry meaning `cwd`. Only looks:
 nothing is spawned, so a check at start-up runs no server code.
 */
export function findCommand(command: string, options: {path: string | undefined; cwd: string}): CommandLookup {
	const candidates = command.includes('/')
		? [path.resolve(options.cwd, command)]
		: (options.path ?? '').split(path.delimiter).map(dir => path.join(dir === '' ? options.cwd : path.resolve(options.cwd, dir), command));
	let executable = true;
	for (const file of candidates) {
		const kind = fileKind(file);
		if (kind === 'executable') {
			return {found: true, file};
		}

		if (kind === 'plain') {
			executable = false;
		}
	}

	return {found: false, why: executable ? 'not found' : 'not executable', searched: candidates};
}

function fileKind(file: string): 'executable' | 'plain' | 'none' {
	try {
		if (!statSync(file).isFile()) {
			return 'none';
		}
	} catch {
		return 'none';
	}

	try {
		accessSync(file, constants.X_OK);
		return 'executable';
	} catch {
		return 'plain';
	}
}
