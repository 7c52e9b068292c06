import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    setupFiles: ['tests/support/setup.ts'],
    globalSetup: ['tests/support/cli-build.ts'],
    // Timeouts only catch hangs: the suite must pass on a loaded machine, where a CPU-heavy property
    // test can take several times its usual wall time.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    projects: [
      {
        // Unit tests share each worker's modules instead of importing the SDKs and the core afresh for
        // every file (59 files: 48 s of CPU isolated, 31 s shared); none mocks modules, and a file that
        // mocks an SDK client or stubs the environment undoes it in afterAll (tests/unit/architecture.test.ts
        // checks). Everything that starts servers or processes stays isolated.
        extends: true,
        test: { name: 'unit', include: ['tests/unit/**/*.test.ts'], isolate: false },
      },
      {
        extends: true,
        // Include lives in the projects only: a project extending the root adds to the root's include.
        test: { name: 'rest', include: ['tests/**/*.test.ts'], exclude: ['tests/unit/**'] },
      },
    ],
  },
});
