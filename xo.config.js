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
			camelcase: 'off',
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
			// Import and export lists stay on one line: a name a line makes the heads of files
			// copies of each other (the duplicates check flags them) and pushes the code down.
			'xo/import-specifier-newline': 'off',
			'@stylistic/object-curly-newline': ['error', {
				ObjectExpression: {multiline: true, minProperties: 4, consistent: true},
				ObjectPattern: {multiline: true, consistent: true},
				ImportDeclaration: {consistent: true},
				ExportDeclaration: {consistent: true},
			}],
			// The target is ES2023, whose lib has no iterator helpers: `.toArray()` does not type-check.
			'unicorn/prefer-iterator-to-array': 'off',
			// A `default` that handles the rest of a union (an unknown code, a table-driven action) is
			// a decision, not an oversight; listing unreachable cases would only add lines.
			'@typescript-eslint/switch-exhaustiveness-check': ['warn', {considerDefaultExhaustiveForUnions: true}],
			// `() => {}` is the deliberate no-op handler (`.catch(() => {})`, an `error` listener that
			// only keeps a stream from throwing, a no-op unsubscribe); named empty functions stay flagged.
			'@typescript-eslint/no-empty-function': ['warn', {allow: ['arrowFunctions']}],
			// `.then(done, done)` runs `done` once; `.then(done).catch(done)` may run it twice.
			'unicorn/prefer-then-catch': 'off',
			// The JSON and line scanners step through UTF-16 units on purpose (`charCodeAt`), and
			// only ASCII delimiters matter to them.
			'unicorn/prefer-code-point': 'off',
			// `memo(function Row(…))`: the name is React DevTools' display name.
			'func-names': ['warn', 'as-needed'],
			// Classes read in the order of their story (state, constructor, the public calls, then the
			// private steps each uses), which a fixed order of member kinds would scatter.
			'unicorn/consistent-class-member-order': 'off',
			// Error classes keep `code`/`statusCode` as own fields: fastify and the error serialisers
			// read own properties, not getters on the prototype.
			'@typescript-eslint/class-literal-property-style': 'off',
			// Without the `u` flag, `\u{20}` in a regex means "u" twenty times: the suggested fix breaks patterns.
			'unicorn/prefer-unicode-code-point-escapes': 'off',
			// Operand order in `&&`/`||` is chosen for reading or for a guard (`x !== undefined && x.y`,
			// a counter bumped on the left); reordering by "simplicity" is taste and sometimes wrong.
			'unicorn/prefer-simple-condition-first': 'off',
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
		// What the autofix could not do and no hand has fixed yet: warnings, so `npm run lint`
		// lists them and CI stays green, until each is fixed and its line here removed. The
		// number is how many each rule reported when this list was made. It comes before the
		// blocks for particular files, so that a rule those turn off stays off there.
		rules: {
			'@stylistic/brace-style': 'warn', // 22
			'@stylistic/comma-dangle': 'warn', // 1
			'@stylistic/curly-newline': 'warn', // 21
			'@stylistic/indent': 'warn', // 33
			'@stylistic/max-statements-per-line': 'warn', // 172
			'@stylistic/no-trailing-spaces': 'warn', // 5
			'@typescript-eslint/consistent-type-imports': 'warn', // 1
			'@typescript-eslint/no-base-to-string': 'warn', // 1
			'@typescript-eslint/no-deprecated': 'warn', // 1
			'@typescript-eslint/no-dynamic-delete': 'warn', // 2
			'@typescript-eslint/no-floating-promises': 'warn', // 2
			'@typescript-eslint/no-loop-func': 'warn', // 3
			'@typescript-eslint/no-shadow': 'warn', // 29
			'@typescript-eslint/no-unnecessary-type-assertion': 'warn', // 1
			'@typescript-eslint/no-unsafe-assignment': 'warn', // 1
			'@typescript-eslint/no-unsafe-call': 'warn', // 1
			'@typescript-eslint/no-unsafe-enum-comparison': 'warn', // 1
			'@typescript-eslint/prefer-nullish-coalescing': 'warn', // 16
			'@typescript-eslint/prefer-optional-chain': 'warn', // 6
			'@typescript-eslint/prefer-string-starts-ends-with': 'warn', // 3
			'@typescript-eslint/require-array-sort-compare': 'warn', // 7
			'@typescript-eslint/restrict-plus-operands': 'warn', // 1
			'@typescript-eslint/strict-boolean-expressions': 'warn', // 105
			'@typescript-eslint/strict-void-return': 'warn', // 63
			'jsdoc/check-indentation': 'warn', // 1
			'jsdoc/escape-inline-tags': 'warn', // 5
			'jsdoc/reject-any-type': 'warn', // 13
			'jsdoc/require-asterisk-prefix': 'warn', // 6
			'jsdoc/require-description': 'warn', // 31
			'jsdoc/require-param-description': 'warn', // 117
			'jsdoc/require-param-type': 'warn', // 61
			'jsdoc/require-returns-description': 'warn', // 16
			'jsdoc/require-yields': 'warn', // 1
			'n/prefer-promises/fs': 'warn', // 1
			'new-cap': 'warn', // 1
			'no-await-in-loop': 'warn', // 24
			'no-bitwise': 'warn', // 18
			'no-control-regex': 'warn', // 3
			'no-implicit-coercion': 'warn', // 1
			'no-promise-executor-return': 'warn', // 22
			'no-proto': 'warn', // 1
			'no-script-url': 'warn', // 1
			'no-sequences': 'warn', // 1
			'no-shadow': 'warn', // 4
			'no-unmodified-loop-condition': 'warn', // 1
			'no-unreachable-loop': 'warn', // 1
			'no-useless-escape': 'warn', // 3
			'no-void': 'warn', // 9
			'node-test/no-async-fn-without-await': 'warn', // 2
			'node-test/no-compound-assertion': 'warn', // 24
			'node-test/no-duplicate-assertions': 'warn', // 5
			'node-test/no-skip-test': 'warn', // 1
			'node-test/no-useless-assertion': 'warn', // 2
			'node-test/prefer-assert-throws': 'warn', // 1
			'node-test/prefer-context-mock': 'warn', // 1
			'node-test/require-throws-expectation': 'warn', // 4
			'prefer-const': 'warn', // 1
			'prefer-destructuring': 'warn', // 4
			'preserve-caught-error': 'warn', // 2
			'regexp/no-contradiction-with-assertion': 'warn', // 1
			'regexp/no-control-character': 'warn', // 12
			'regexp/no-misleading-capturing-group': 'warn', // 2
			'regexp/no-obscure-range': 'warn', // 5
			'regexp/no-super-linear-backtracking': 'warn', // 25
			'regexp/no-super-linear-move': 'warn', // 13
			'regexp/no-unused-capturing-group': 'warn', // 4
			'unicorn/isolated-functions': 'warn', // 6
			'unicorn/no-array-callback-reference': 'warn', // 30
			'unicorn/no-array-reduce': 'warn', // 1
			'unicorn/no-array-reverse': 'warn', // 1
			'unicorn/no-array-sort': 'warn', // 36
			'unicorn/no-await-expression-member': 'warn', // 6
			'unicorn/no-break-in-nested-loop': 'warn', // 7
			'unicorn/no-computed-property-existence-check': 'warn', // 4
			'unicorn/no-declarations-before-early-exit': 'warn', // 5
			'unicorn/no-duplicate-loops': 'warn', // 4
			'unicorn/no-for-each': 'warn', // 1
			'unicorn/no-immediate-mutation': 'warn', // 12
			'unicorn/no-incorrect-template-string-interpolation': 'warn', // 1
			'unicorn/no-loop-iterable-mutation': 'warn', // 1
			'unicorn/no-nested-ternary': 'warn', // 3
			'unicorn/no-new-array': 'warn', // 1
			'unicorn/no-process-exit': 'warn', // 5
			'unicorn/no-return-array-push': 'warn', // 28
			'unicorn/no-thenable': 'warn', // 1
			'unicorn/no-unreadable-array-destructuring': 'warn', // 1
			'unicorn/no-unsafe-string-replacement': 'warn', // 5
			'unicorn/no-useless-spread': 'warn', // 1
			'unicorn/prefer-add-event-listener': 'warn', // 3
			'unicorn/prefer-array-some': 'warn', // 1
			'unicorn/prefer-continue': 'warn', // 1
			'unicorn/prefer-early-return': 'warn', // 2
			'unicorn/prefer-else-if': 'warn', // 1
			'unicorn/prefer-event-target': 'warn', // 5
			'unicorn/prefer-global-number-constants': 'warn', // 8
			'unicorn/prefer-hoisting-branch-code': 'warn', // 1
			'unicorn/prefer-includes-over-repeated-comparisons': 'warn', // 5
			'unicorn/prefer-math-constants': 'warn', // 1
			'unicorn/prefer-minimal-ternary': 'warn', // 5
			'unicorn/prefer-number-is-safe-integer': 'warn', // 13
			'unicorn/prefer-query-selector': 'warn', // 1
			'unicorn/prefer-scoped-selector': 'warn', // 2
			'unicorn/prefer-string-pad-start-end': 'warn', // 1
			'unicorn/prefer-structured-clone': 'warn', // 3
			'unicorn/prefer-ternary': 'warn', // 2
			'unicorn/require-array-sort-compare': 'warn', // 1
		},
	},
	{
		// Plain JavaScript (the benches, the chat page, test fixtures) has no types for the
		// type-aware rules to check: every value read from JSON or a library is `any` there.
		files: ['**/*.{js,mjs}'],
		rules: {
			'@typescript-eslint/no-unsafe-member-access': 'off',
			'@typescript-eslint/no-unsafe-call': 'off',
			'@typescript-eslint/no-unsafe-assignment': 'off',
			'@typescript-eslint/no-unsafe-return': 'off',
			'@typescript-eslint/no-unsafe-argument': 'off',
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
			// A helper that registers hooks imports node:test, and the rule then takes it for a test.
			'node-test/no-export': 'off',
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
