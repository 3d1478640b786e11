/** Two projects: fast in-process tests, and end-to-end runs in a real n8n. */
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
	],
};
