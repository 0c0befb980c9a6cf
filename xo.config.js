/*
Lint and format in the style of the ink and sindresorhus projects: `npm run lint` checks,
`npx xo --fix` formats. Each rule turned off below says why; the rest of xo's set stands.
*/

/**
@type {import('xo').FlatXoConfig}
*/
const xoConfig = [
	{
		// Built output, generated results, and files that are not code (the Markdown docs, the
		// chat page's HTML and CSS, JSON data and manifests) are out of scope for the code linter.
		ignores: ['dist/**', 'docs/**', 'bench/results/**', 'test/conformance/results/**', '**/*.md', '**/*.html', '**/*.css', '**/*.json'],
	},
	{
		rules: {
			// Renames across files with no change in meaning: `env`, `args`, `props` are this
			// code's own vocabulary (a child's environment, a command's arguments).
			'unicorn/name-replacements': 'off',
			// Would rename fields that are part of the status JSON and the config (`live`, `ok`).
			'unicorn/consistent-boolean-name': 'off',
			// TOML keys (`max_body`), JSON-RPC and HTTP header names are snake_case or
			// Title-Case on the wire, and the code spells them as the wire does.
			'@typescript-eslint/naming-convention': 'off',
			// The patterns match ASCII protocol text; the `u`/`v` flag changes escaping rules,
			// not what they match.
			'require-unicode-regexp': 'off',
			// Node-only program: `process` and `Buffer` are the platform, not a dependency.
			'n/prefer-global/process': 'off',
			'n/prefer-global/buffer': 'off',
			// JSON-RPC has `null` on the wire (`id: null`), and Node streams hand out Buffers.
			'@typescript-eslint/no-restricted-types': 'off',
			// `${VAR}` in a plain string is the config's own expansion syntax, not a mistake.
			'no-template-curly-in-string': 'off',
			// Arithmetic precedence (`a + b * c`) needs no parentheses to be read.
			'@stylistic/no-mixed-operators': 'off',
			// Short local matches read better by position than by name.
			'regexp/prefer-named-capture-group': 'off',
			// `assert.equal(a, f(g(x)))` is plain; the limit forces temporaries with no name to give.
			'unicorn/max-nested-calls': 'off',
			'@typescript-eslint/strict-boolean-expressions': ['error', {
				// `if (name)` for an optional string or object is the idiom; numbers stay explicit.
				allowString: true,
				allowNullableString: true,
				allowNullableObject: true,
				allowNullableBoolean: true,
				allowNumber: false,
			}],
		},
	},
	{
		// The chat page's modules run in the browser.
		files: ['chat/**/*.js'],
		languageOptions: {globals: {document: 'readonly', window: 'readonly'}},
	},
	{
		files: ['test/**/*.{ts,tsx,js,mjs}'],
		rules: {
			// Node:test's `test()` and `describe()` return promises that the runner awaits.
			'@typescript-eslint/no-floating-promises': ['error', {
				allowForKnownSafeCalls: [{from: 'package', package: 'node:test', name: ['test', 'describe', 'it', 'suite', 'before', 'after', 'beforeEach', 'afterEach']}],
			}],
			// Tests read replies as parsed JSON (`any`); the assertion on a field is the check.
			'@typescript-eslint/no-unsafe-member-access': 'off',
			'@typescript-eslint/no-unsafe-call': 'off',
			'@typescript-eslint/no-unsafe-assignment': 'off',
			'@typescript-eslint/no-unsafe-return': 'off',
			'@typescript-eslint/no-unsafe-argument': 'off',
			// The runner runs only `*.test.ts(x)`; helpers and fixtures under test/ are not tests.
			'node-test/no-import-test-files': 'off',
			// One imported `node:assert/strict` works in helpers as well as in tests.
			'node-test/prefer-test-context-assert': 'off',
			// Assertions in loops over replies and in per-era branches are intended; helpers
			// such as waitFor() assert by throwing, which the rule cannot see.
			'node-test/no-conditional-assertion': 'off',
			'node-test/require-assertion': 'off',
			// Protocol steps are sequential on purpose: each request waits for the last reply.
			'no-await-in-loop': 'off',
			'unicorn/no-await-expression-member': 'off',
		},
	},
];

export default xoConfig;
