/**
 The chat page's files (`chat/` at the package root, beside `dist/` and
 `source/`), read once at start: a handful of small files, no build step, and
 nothing on disk is looked up from a request path.
 */
import {readdirSync, readFileSync} from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';

export const CHAT_DIR = fileURLToPath(new URL('../../chat/', import.meta.url));

const TYPES: Readonly<Record<string, string>> = {
	'.html': 'text/html; charset=utf-8',
	'.js': 'text/javascript; charset=utf-8',
	'.css': 'text/css; charset=utf-8',
	'.svg': 'image/svg+xml',
};

export type Asset = {
	body: Buffer;
	type: string;
};

/**
File name → contents, for the file types above only.
*/
export function loadAssets(dir = CHAT_DIR): Map<string, Asset> {
	const assets = new Map<string, Asset>();
	for (const name of readdirSync(dir)) {
		const type = TYPES[path.extname(name)];
		if (type !== undefined) {
			assets.set(name, {body: readFileSync(path.join(dir, name)), type});
		}
	}

	if (!assets.has('index.html')) {
		throw new Error(`the chat page's files are missing: no index.html in ${dir}`);
	}

	return assets;
}
