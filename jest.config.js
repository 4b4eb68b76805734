/**
 * Three tiers, each a jest project, so `npm test` runs all of them and each npm script picks one:
 * - unit: no Terraform; construct, stack, handler (against the emulator) and script tests. The edit loop.
 * - terraform: `terraform validate` of every synthesized stack.
 * - e2e: deploys every stack to the emulator and back (the local cycle, the cdktf CLI, the smoke run).
 * @type {import('jest').Config}
 */
const common = {
  testEnvironment: 'node',
  // swc strips types only; `tsc --noEmit` in `npm test` does the type checking once for the whole tree.
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022' } }] },
  moduleFileExtensions: ['ts', 'js', 'json'],
  setupFilesAfterEnv: ['<rootDir>/__tests__/support/token-stacks-setup.ts'],
};
const SLOW_TIERS = ['<rootDir>/__tests__/terraform/', '<rootDir>/__tests__/e2e/'];

module.exports = {
  // Suites start their own emulator and synthesize stacks: generous, but finite.
  testTimeout: 60000,
  // Jest defaults to one worker per core minus one: a single worker on the 2-core machines this runs
  // on. Half of a unit suite's time is waiting on the emulator, so two workers finish the tier in
  // about two thirds of the time. (The e2e tier runs in band: its two suites each deploy everything.)
  maxWorkers: 2,
  projects: [
    {
      ...common,
      displayName: 'unit',
      roots: ['<rootDir>/__tests__'],
      testMatch: ['**/*.test.ts'],
      testPathIgnorePatterns: SLOW_TIERS,
      // Synthesizes the app once for the whole run (__tests__/support/shared-synthesis.ts) and starts
      // the emulator each worker hands from suite to suite (__tests__/support/worker-emulators.ts).
      globalSetup: '<rootDir>/__tests__/support/unit-global-setup.ts',
      globalTeardown: '<rootDir>/__tests__/support/unit-global-teardown.ts',
    },
    { ...common, displayName: 'terraform', roots: ['<rootDir>/__tests__/terraform'], testMatch: ['**/*.test.ts'] },
    { ...common, displayName: 'e2e', roots: ['<rootDir>/__tests__/e2e'], testMatch: ['**/*.test.ts'] },
  ],
};
