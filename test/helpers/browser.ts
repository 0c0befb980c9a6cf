/**
 A real headless Chromium for the chat page's tests: Debian's `chromium`
 (`.ci/run` installs it), driven by playwright-core, which brings no browser
 of its own. Screenshots go to test-output/ for people to look at.
 */
import {existsSync, mkdirSync} from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {type Browser, chromium} from 'playwright-core';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

export const OUTPUT_DIR = fileURLToPath(new URL('../../test-output/', import.meta.url));

/**
`CHROMIUM_PATH`, else the first Chromium found where Debian and friends put it.
*/
export function chromiumPath(): string {
	const found = [process.env.CHROMIUM_PATH, ...CANDIDATES].find(file => file !== undefined && file !== '' && existsSync(file));
	if (found === undefined) {
		throw new Error(`no Chromium for the browser tests (looked in ${CANDIDATES.join(', ')}): apt-get install chromium, or set CHROMIUM_PATH`);
	}

	return found;
}

export async function launchBrowser(): Promise<Browser> {
	// Headless; playwright-core runs Chromium without its own sandbox by default, which root (CI) needs.
	return chromium.launch({executablePath: chromiumPath(), timeout: 30_000});
}

/**
Where a screenshot named `name` goes; the folder is made on demand.
*/
export function screenshotPath(name: string): string {
	mkdirSync(OUTPUT_DIR, {recursive: true});
	return path.join(OUTPUT_DIR, name);
}
