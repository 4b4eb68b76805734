/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/__tests__'],
  testMatch: ['**/*.test.ts'],
  // swc strips types only; `tsc --noEmit` in `npm test` does the type checking once for the whole tree.
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022' } }] },
  moduleFileExtensions: ['ts', 'js', 'json'],
  // Suites start their own emulator and synthesize stacks: generous, but finite.
  testTimeout: 60000,
};
