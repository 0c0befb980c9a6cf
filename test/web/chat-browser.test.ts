/**
 The chat page in a real browser: headless Chromium against a real mcpd and
 the agent fixture (faithful to the code-mode agent), which dies without a key, logs and ticks
 progress every 100 ms, and reports the key it got. Keys per tab, progress
 while it runs, a Markdown answer, cancel, the token, and answers that try
 to be HTML.
 */
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {setTimeout as sleep} from 'node:timers/promises';
import {after, before, describe, test, type TestContext} from 'node:test';
import type {Browser, BrowserContext, Page} from 'playwright-core';
import type {Config} from '../../source/config/types.js';
import {launchBrowser, screenshotPath} from '../helpers/browser.js';
import {AGENT_FIXTURE, envWithoutKeys, server, startMcpd, testConfig, type Running} from '../helpers/mcpd.js';
import {assertNoNewChildren, descendants, isAlive} from '../helpers/processes.js';
import {waitFor} from '../helpers/wait-for.js';

const KEYS = {'x-openai-key': 'OPENAI_API_KEY', 'x-gemini-key': 'GEMINI_API_KEY'};

function chatConfig(args: string[], options: {headerEnv?: Record<string, string>; token?: string} = {}): Config {
	const agent = server('agent', {args: [AGENT_FIXTURE, '--tick-ms', '100', '--run-ms', '1500', ...args], headerEnv: options.headerEnv ?? KEYS});
	const config = testConfig([agent], {http: options.token === undefined ? {} : {token: options.token}});
	return {...config, web: {enabled: true}};
}

/**
Console errors and uncaught exceptions (a CSP violation is one) of each page.
*/
const problems = new WeakMap<Page, string[]>();

async function openChat(context: BrowserContext, base: string, options: {ready?: boolean} = {}): Promise<Page> {
	const page = await context.newPage();
	const seen: string[] = [];
	problems.set(page, seen);
	page.on('pageerror', error => seen.push(`pageerror: ${error.message}`));
	page.on('console', message => {
		if (message.type() === 'error') {
			seen.push(`console: ${message.text()}`);
		}
	});
	const response = await page.goto(`${base}/chat/`);
	assert.equal(response?.status(), 200);
	if (options.ready !== false) {
		await page.waitForSelector('#send:not([disabled])');
	}

	return page;
}

function assertQuiet(page: Page): void {
	assert.deepEqual(problems.get(page), [], 'no console errors or CSP violations');
}

async function enterKey(page: Page, variable: string, value: string): Promise<void> {
	await page.click('#open-keys');
	const field = page.getByLabel(variable);
	assert.equal(await field.getAttribute('type'), 'password');
	await field.fill(value);
	await field.press('Enter');
	await page.waitForSelector('#keys:not([open])', {state: 'attached'});
}

async function send(page: Page, task: string): Promise<void> {
	await page.fill('#task', task);
	await page.press('#task', 'Enter');
}

/**
What the newest run shows once it has logged `Agent reasoning... (Ns)` with N ≥ 2.
*/
async function whileRunning(page: Page) {
	const handle = await page.waitForFunction(() => {
		const run = document.querySelector<HTMLElement>('.run:last-of-type');
		const lines = [...run?.querySelectorAll('.log li') ?? []].map(line => line.textContent ?? '');
		if (!run || lines.every(line => !/^Agent reasoning\.\.\. \((?:[2-9]|\d{2,})s\)$/.test(line))) {
			return false;
		}

		return {
			state: run.dataset.state,
			lines,
			answer: run.querySelector('.answer') !== null,
			elapsed: run.querySelector('.elapsed')?.textContent ?? '',
			progress: run.querySelector('.progress')?.textContent ?? '',
		};
	}, undefined, {polling: 25, timeout: 5000});
	const shown = await handle.jsonValue();
	// WaitForFunction resolves on a truthy value only; this tells the type so.
	assert.ok(shown);
	return shown;
}

async function finished(page: Page, state = 'done'): Promise<void> {
	await page.waitForSelector(`.run:last-of-type[data-state="${state}"]`, {timeout: 5000});
}

async function sessionIdOf(page: Page): Promise<string> {
	const id = await page.getAttribute('#session', 'data-id');
	assert.ok(id, 'the page shows its session');
	return id;
}

function environOf(pid: number): Record<string, string> {
	const entries = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').filter(Boolean).map(entry => {
		const at = entry.indexOf('=');
		return [entry.slice(0, at), entry.slice(at + 1)];
	});
	return Object.fromEntries(entries) as Record<string, string>;
}

async function screenshot(t: TestContext, page: Page, name: string): Promise<void> {
	const file = screenshotPath(name);
	await page.screenshot({path: file});
	t.diagnostic(`screenshot: ${file}`);
}

let childrenBefore: number[];
let browser: Browser;

before(async () => {
	childrenBefore = descendants();
	browser = await launchBrowser();
});

after(async () => {
	// Chromium is a child of this process too: none of it may be left either.
	await browser?.close();
	await assertNoNewChildren(childrenBefore);
});

describe('the chat page in Chromium', () => {
	let mcpd: Running;
	const webSessions = () => mcpd.supervisor.sessions().filter(session => session.tag === 'web');

	const logLines: string[] = [];

	before(async () => {
		// Mcpd's own environment has no key: only what a page sends reaches a child.
		mcpd = await startMcpd(chatConfig(['--long-ms', '60000', '--report-key']), envWithoutKeys);
		mcpd.supervisor.events.on('log', entry => logLines.push(JSON.stringify(entry)));
	});

	after(async () => {
		await mcpd?.close();
	});

	test('it says which key to enter; with one, progress and log lines show while it runs, then the answer as Markdown', async t => {
		const context = await browser.newContext({viewport: {width: 1280, height: 800}});
		await context.grantPermissions(['clipboard-read', 'clipboard-write'], {origin: mcpd.base});
		const page = await openChat(context, mcpd.base);
		assert.match(await page.textContent('#notice') ?? '', /enter OPENAI_API_KEY or GEMINI_API_KEY/);

		// Sending without a key opens the keys instead of starting a process bound to fail.
		await send(page, 'count the words in README.md');
		await page.waitForSelector('#keys[open]');
		assert.equal(webSessions().length, 0);
		const field = page.getByLabel('OPENAI_API_KEY');
		await field.fill('sk-test-desk-1111');
		await field.press('Enter');
		await page.waitForSelector('#notice', {state: 'hidden'});
		assert.equal(await page.inputValue('#task'), 'count the words in README.md', 'the task waits in the box');
		await page.press('#task', 'Enter');

		const during = await whileRunning(page);
		assert.equal(during.state, 'running');
		assert.equal(during.answer, false, 'log lines before any answer');
		assert.deepEqual(during.lines.slice(0, 2), ['Agent received task: count the words in README.md', 'Agent is reasoning and generating code...']);
		assert.equal(during.lines.length, 3, 'the per-second "reasoning (Ns)" line updates in place');
		assert.match(during.progress, /^progress \d+\/10$/);
		assert.match(during.elapsed, /^\d+\.\d s$/);
		const [session] = webSessions();
		assert.equal(session?.clientName, 'mcpd-web', 'the tab is a session of its own, tagged [web]');
		assert.equal(session.id, await sessionIdOf(page));

		await finished(page);
		const answer = await page.evaluate(() => {
			const root = document.querySelector('.run:last-of-type .answer')!;
			return {
				status: root.querySelector('.status.success')?.textContent,
				headings: [...root.querySelectorAll('h3')].map(heading => heading.textContent),
				code: [...root.querySelectorAll('.codeblock')].map(block => ({lang: block.querySelector('.codebar span')?.textContent, text: block.querySelector('pre')?.textContent, copy: block.querySelector('button.copy')?.textContent})),
				elapsed: document.querySelector('.run:last-of-type .elapsed')?.textContent,
			};
		});
		assert.equal(answer.status, '✅ Task Complete');
		assert.deepEqual(answer.headings, ['Execution Output', 'Generated Code']);
		assert.deepEqual(answer.code.map(block => [block.lang, block.copy]), [['', 'Copy'], ['python', 'Copy']]);
		assert.equal(answer.code[0].text, 'count the words in README.md\n(5 words)\nOPENAI_API_KEY=…1111');
		assert.match(answer.elapsed ?? '', /^1\.\d s$/);

		await page.click('.run:last-of-type .codeblock:last-of-type button.copy');
		assert.equal(await page.evaluate(async () => navigator.clipboard.readText()), answer.code[1].text);

		// For people: an answer above, the next task running below it.
		await send(page, 'list the files in /tmp and add up their sizes');
		await whileRunning(page);
		await screenshot(t, page, 'chat-desktop.png');
		await finished(page);
		await page.emulateMedia({colorScheme: 'dark'});
		await screenshot(t, page, 'chat-desktop-dark.png');
		await page.emulateMedia({colorScheme: 'light'});
		await page.setViewportSize({width: 390, height: 844});
		await screenshot(t, page, 'chat-phone.png');
		assertQuiet(page);
		await context.close();
	});

	test('two tabs with different keys each reach a process that sees only its own key; closing a tab ends its process', async () => {
		const context = await browser.newContext();
		const alice = await openChat(context, mcpd.base);
		const bob = await openChat(context, mcpd.base);
		await enterKey(alice, 'OPENAI_API_KEY', 'sk-test-alice-7a1c');
		await enterKey(bob, 'GEMINI_API_KEY', 'gm-test-bob-b0b2');
		await Promise.all([send(alice, 'whose key is this'), send(bob, 'whose key is this')]);
		await Promise.all([finished(alice), finished(bob)]);

		const output = async (page: Page) => page.textContent('.run:last-of-type .answer .codeblock pre');
		assert.equal(await output(alice), 'whose key is this\n(4 words)\nOPENAI_API_KEY=…7a1c');
		assert.equal(await output(bob), 'whose key is this\n(4 words)\nGEMINI_API_KEY=…b0b2');

		// The processes themselves, read from /proc: each has its tab's key and nothing of the other's.
		const rowOf = async (page: Page) => {
			const id = await sessionIdOf(page);
			const row = mcpd.supervisor.sessions().find(session => session.id === id);
			assert.equal(row?.tag, 'web');
			return row;
		};

		const [a, b] = [await rowOf(alice), await rowOf(bob)];
		assert.notEqual(a.pid, b.pid);
		const envA = environOf(a.pid!);
		const envB = environOf(b.pid!);
		assert.equal(envA.OPENAI_API_KEY, 'sk-test-alice-7a1c');
		assert.equal(envA.GEMINI_API_KEY, undefined);
		assert.equal(envB.GEMINI_API_KEY, 'gm-test-bob-b0b2');
		assert.equal(envB.OPENAI_API_KEY, undefined);
		const status = await (await fetch(new URL('/status', mcpd.base))).text();
		for (const key of ['sk-test-alice-7a1c', 'gm-test-bob-b0b2']) {
			assert.ok(!status.includes(key) && logLines.every(line => !line.includes(key)), 'keys are never logged nor shown');
		}

		await alice.close({runBeforeUnload: true});
		await waitFor(() => mcpd.supervisor.sessions().every(session => session.id !== a.id) && !isAlive(a.pid!), {message: 'the closed tab\'s session and process to end'});
		assert.ok(isAlive(b.pid!), 'the other tab\'s process carries on');
		assertQuiet(bob);
		await context.close();
	});

	test('Cancel and Esc stop a long task: the agent gets notifications/cancelled and no answer comes later', async () => {
		const context = await browser.newContext();
		const page = await openChat(context, mcpd.base);
		await enterKey(page, 'OPENAI_API_KEY', 'sk-test-cancel-9999');
		const cancelled = (id: string) => mcpd.supervisor.stderrTail(id).map(entry => entry.line).filter(line => line.startsWith('agent: cancelled'));

		await send(page, 'a long task');
		assert.equal((await whileRunning(page)).state, 'running');
		const id = await sessionIdOf(page);
		assert.equal(await page.isVisible('#cancel'), true);
		await page.click('#cancel');
		await finished(page, 'cancelled');
		await waitFor(() => cancelled(id).length === 1, {message: 'the agent to see the cancellation'});
		assert.deepEqual(cancelled(id), ['agent: cancelled 1']);

		await send(page, 'another long task');
		await whileRunning(page);
		await page.keyboard.press('Escape');
		await finished(page, 'cancelled');
		await waitFor(() => cancelled(id).length === 2, {message: 'the agent to see the second cancellation'});
		assert.deepEqual(cancelled(id), ['agent: cancelled 1', 'agent: cancelled 2']);

		await sleep(300);
		assert.equal(await page.locator('.run .answer').count(), 0, 'nothing late');
		assert.equal(await page.isVisible('#cancel'), false);
		assert.equal(await page.isEnabled('#send'), true);
		assert.equal(await sessionIdOf(page), id, 'the same session and process carry on');
		assertQuiet(page);
		await context.close();
	});

	test('failures read as failures; a tab whose process ended between tasks gets a new one; a crash mid-run shows its stderr', async () => {
		const context = await browser.newContext();
		const page = await openChat(context, mcpd.base);
		await enterKey(page, 'OPENAI_API_KEY', 'sk-test-fail-4242');
		await send(page, 'error-string');
		await finished(page, 'failed');
		assert.equal(await page.textContent('.run:last-of-type .answer'), 'Error: No tools available. Is the server initialized?');

		const first = await sessionIdOf(page);
		await mcpd.supervisor.kill(first);
		await send(page, 'after a restart');
		await finished(page);
		const second = await sessionIdOf(page);
		assert.notEqual(second, first);

		await send(page, 'a long task');
		await whileRunning(page);
		const {pid} = mcpd.supervisor.sessions().find(session => session.id === second)!;
		process.kill(pid!, 'SIGKILL');
		await finished(page, 'failed');
		assert.match(await page.textContent('.run:last-of-type .stderr pre') ?? '', /^agent: started pid=\d+$/m);
		assert.equal(await page.isVisible('#session'), false, 'the dead session is dropped');
		assert.ok(problems.get(page)?.every(line => line.includes('status of 404')), 'only the ended sessions\' 404s');
		await context.close();
	});

	test('an answer with <script> and <img onerror> is shown as text: no element, no dialog, and HTML strings are refused outright', async () => {
		const context = await browser.newContext();
		const page = await context.newPage();
		const dialogs: string[] = [];
		page.on('dialog', dialog => {
			dialogs.push(dialog.message());
			void dialog.dismiss();
		});
		const response = await page.goto(`${mcpd.base}/chat/`);
		assert.match(response?.headers()['content-security-policy'] ?? '', /script-src 'self'; style-src 'self';.*require-trusted-types-for 'script'/);
		await page.waitForSelector('#send:not([disabled])');
		await enterKey(page, 'OPENAI_API_KEY', 'sk-test-markup-0000');
		await send(page, 'markup');
		await finished(page);

		const shown = await page.evaluate(() => {
			const answer = document.querySelector('.run:last-of-type .answer')!;
			return {
				tags: [...new Set([...answer.querySelectorAll('*')].map(element => element.tagName.toLowerCase()))].sort(),
				text: answer.textContent,
				links: [...answer.querySelectorAll('a')].map(link => ({href: link.getAttribute('href'), rel: link.rel})),
				pwned: (globalThis as {__pwned?: unknown}).__pwned,
				images: document.images.length,
				scripts: [...document.scripts].map(script => script.getAttribute('src')),
			};
		});
		assert.deepEqual(shown.tags, ['a', 'p', 'strong']);
		assert.ok(shown.text?.includes('<script>window.__pwned = "script"; alert("script")</script>'), shown.text ?? '');
		assert.ok(shown.text?.includes('<img src="x" onerror="window.__pwned = \'img\'; alert(\'img\')">'));
		assert.ok(shown.text?.includes('a link (javascript:alert(\'link\'))'), 'a javascript: link stays text');
		assert.deepEqual(shown.links, [{href: 'https://example.com/docs', rel: 'noopener noreferrer nofollow'}]);
		assert.equal(shown.pwned, undefined);
		assert.equal(shown.images, 0);
		assert.deepEqual(shown.scripts, ['app.js']);

		// The second line: under the page's policy an HTML string cannot reach the DOM at all.
		const refused = await page.evaluate(() => {
			try {
				document.body.insertAdjacentHTML('beforeend', '<img src="x" onerror="window.__pwned = 1">');
				return 'rendered';
			} catch (error) {
				return (error as Error).name;
			}
		});
		assert.equal(refused, 'TypeError');
		await sleep(200);
		assert.deepEqual(dialogs, []);
		assert.equal(await page.evaluate(() => (globalThis as {__pwned?: unknown}).__pwned), undefined);
		await context.close();
	});
});

describe('the chat page behind a token', () => {
	let mcpd: Running;

	before(async () => {
		mcpd = await startMcpd(chatConfig(['--no-key-check'], {headerEnv: {}, token: 'tok-chat-123'}), envWithoutKeys);
	});

	after(async () => {
		await mcpd?.close();
	});

	test('asks for the token once, keeps it in the tab, and keeps the tab\'s history across a reload', async () => {
		const context = await browser.newContext();
		const page = await openChat(context, mcpd.base, {ready: false});
		await page.waitForSelector('#token-dialog[open]');
		const field = page.locator('#token-dialog input');
		await field.fill('wrong');
		await field.press('Enter');
		await page.waitForSelector('#token-dialog .error:text("refused")');
		await field.fill('tok-chat-123');
		await field.press('Enter');
		await page.waitForSelector('#send:not([disabled])');
		assert.equal(await page.isVisible('#open-keys'), false, 'this agent maps no keys');
		assert.equal(await page.isVisible('#notice'), false);

		// Shift+Enter is a new line, not a send.
		await page.fill('#task', 'hello');
		await page.press('#task', 'Shift+Enter');
		await page.type('#task', 'there');
		assert.equal(await page.inputValue('#task'), 'hello\nthere');
		assert.equal(await page.locator('.run').count(), 0);
		await page.press('#task', 'Enter');
		await finished(page);
		await page.reload();
		await page.waitForSelector('#send:not([disabled])');
		assert.equal(await page.isVisible('#token-dialog'), false, 'not asked again');
		assert.equal(await page.textContent('.run.restored .task'), 'hello\nthere');
		assert.equal(await page.getAttribute('.run.restored', 'data-state'), 'done');
		assert.ok((problems.get(page) ?? []).every(problem => problem.includes('401')), 'only the refused token left a console line');
		await context.close();
	});
});

describe('a chat agent that dies at start', () => {
	let mcpd: Running;

	before(async () => {
		// No key anywhere and no key fields: the agent exits right after initialize, as the real agent does.
		mcpd = await startMcpd(chatConfig([], {headerEnv: {}}), envWithoutKeys);
	});

	after(async () => {
		await mcpd?.close();
	});

	test('the page shows why, from the process\'s own stderr', async () => {
		const context = await browser.newContext();
		const page = await openChat(context, mcpd.base);
		await send(page, 'hello');
		await finished(page, 'failed');
		const run = page.locator('.run:last-of-type');
		assert.match(await run.locator('.stderr pre').textContent() ?? '', /^agent: no API key \(set OPENAI_API_KEY or GEMINI_API_KEY\)$/m);
		assert.match(await run.locator('.help').textContent() ?? '', /no API key, and this page has no key fields: the server's config must give it one/);
		await context.close();
	});
});
