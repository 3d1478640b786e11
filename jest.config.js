/** Three projects: fast in-process tests, end-to-end runs in a real n8n, and the editor in headless Chromium. */
const base = {
	preset: 'ts-jest',
	testEnvironment: 'node',
	transform: {
		'^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }],
	},
};

module.exports = {
	projects: [
		{
			...base,
			displayName: 'unit',
			testMatch: [
				'<rootDir>/test/unit/**/*.test.ts',
				'<rootDir>/test/description/**/*.test.ts',
				'<rootDir>/test/emulator/**/*.test.ts',
				'<rootDir>/test/node/**/*.test.ts',
			],
		},
		{
			...base,
			displayName: 'e2e',
			testMatch: ['<rootDir>/test/e2e/**/*.test.ts'],
		},
		{
			...base,
			displayName: 'editor',
			testMatch: ['<rootDir>/test/editor/**/*.test.ts'],
		},
	],
};
