import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    setupFiles: ['tests/support/setup.ts'],
    globalSetup: ['tests/support/cli-build.ts'],
    // Timeouts only catch hangs: the suite must pass on a loaded machine, where a CPU-heavy property
    // test can take several times its usual wall time.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
