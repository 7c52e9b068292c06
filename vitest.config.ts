import { availableParallelism } from 'node:os';
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
    // Vitest's default is one worker fewer than the cores: on CI's 2 cores that is 1, and the suite ran file
    // after file (CI: Duration 672 s = tests 558 s + import 89 s + transform 11 s). Most files spend their
    // time waiting (child processes, retries' backoff, HTTP on loopback), not computing, so a second worker
    // overlaps one file's waiting with another's work. Each test's timeout stays the hang guard.
    maxWorkers: Math.max(2, availableParallelism() - 1),
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
