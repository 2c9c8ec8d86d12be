import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

// Three projects: fast unit tests and the console's component tests (jsdom) run in
// parallel first; then the tests against the
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
          exclude: ['test/**/*.bed.test.ts', 'test/renderer/**', 'node_modules/**'],
          testTimeout: 20_000,
          sequence: { groupOrder: 0 },
        },
      },
      {
        plugins: [react()],
        test: {
          name: 'components',
          environment: 'jsdom',
          include: ['test/renderer/**/*.test.{ts,tsx}'],
          setupFiles: ['test/renderer/setup-dom.ts'],
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
