/**
 * @type {import('@types/eslint').ESLint.ConfigData}
 * All three rule sets of eslint-plugin-n8n-nodes-base: community (package.json),
 * credentials (credentials/) and nodes (nodes/); typescript-eslint's recommended rules for
 * everything else we write (emulator/, test/, scripts/). Run with --max-warnings 0.
 */
module.exports = {
	root: true,
	env: { browser: true, es6: true, node: true },
	parser: '@typescript-eslint/parser',
	parserOptions: {
		project: ['./tsconfig.json'],
		sourceType: 'module',
		extraFileExtensions: ['.json'],
	},
	ignorePatterns: ['.eslintrc.js', '.prettierrc.js', '**/*.js', '**/node_modules/**', '**/dist/**', 'build-test/**'],
	overrides: [
		{
			files: ['./credentials/**/*.ts', './nodes/**/*.ts'],
			plugins: ['@typescript-eslint'],
			rules: {
				'@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
			},
		},
		{
			files: ['./emulator/**/*.ts', './test/**/*.ts', './scripts/**/*.ts'],
			parserOptions: { project: ['./tsconfig.test.json'] },
			plugins: ['@typescript-eslint'],
			extends: ['eslint:recommended', 'plugin:@typescript-eslint/recommended'],
			rules: {
				// tests and the emulator read untyped JSON from HTTP bodies and n8n's output
				'@typescript-eslint/no-explicit-any': 'off',
				'@typescript-eslint/no-unused-vars': [
					'error',
					{ argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
				],
			},
		},
		{
			files: ['package.json'],
			plugins: ['eslint-plugin-n8n-nodes-base'],
			extends: ['plugin:n8n-nodes-base/community'],
			rules: {
				'n8n-nodes-base/community-package-json-name-still-default': 'off',
			},
		},
		{
			files: ['./credentials/**/*.ts'],
			plugins: ['eslint-plugin-n8n-nodes-base'],
			extends: ['plugin:n8n-nodes-base/credentials'],
			rules: {
				'n8n-nodes-base/cred-class-field-documentation-url-missing': 'off',
				'n8n-nodes-base/cred-class-field-documentation-url-miscased': 'off',
			},
		},
		{
			files: ['./nodes/**/*.ts'],
			plugins: ['eslint-plugin-n8n-nodes-base'],
			extends: ['plugin:n8n-nodes-base/nodes'],
			rules: {
				'n8n-nodes-base/node-execute-block-missing-continue-on-fail': 'off',
				// as in n8n-nodes-starter: NodeConnectionTypes.Main is the typed form of 'main'
				'n8n-nodes-base/node-resource-description-filename-against-convention': 'off',
				'n8n-nodes-base/node-param-fixed-collection-type-unsorted-items': 'off',
			},
		},
	],
};
