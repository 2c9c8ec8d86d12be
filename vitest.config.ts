import { defineConfig } from 'vitest/config';

// Two projects: fast unit tests run in parallel first; then the tests against the
// real test bed (*.bed.test.ts) run one file at a time, alone (a later group order
// starts only when the earlier group has finished), since they share 2 cores with
// the guests and measure rates that contention would skew.
export default defineConfig({
  test: {
    reporters: ['default', './test/helpers/bed-skip-reporter.ts'],
    projects: [
      {
        test: {
          name: 'unit',
          setupFiles: ['test/helpers/isolate-user-dirs.ts'],
          include: ['test/**/*.test.ts'],
          exclude: ['test/**/*.bed.test.ts', 'node_modules/**'],
          testTimeout: 20_000,
          sequence: { groupOrder: 0 },
        },
      },
      {
        test: {
          name: 'bed',
          setupFiles: ['test/helpers/isolate-user-dirs.ts'],
          include: ['test/**/*.bed.test.ts'],
          fileParallelism: false,
          sequence: { groupOrder: 1 },
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
