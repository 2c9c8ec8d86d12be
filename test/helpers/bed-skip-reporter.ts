import type { Reporter, TestModule } from 'vitest/node';
import { bedMissingMessage, loadBed } from './bed';

/**
 * Ends the run with a plain `tests: N passed, N failed, N skipped` line (CI reads it)
 * and, where the bed is not up, one line saying how many bed tests were skipped and why.
 */
export default class BedSkipReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const counts = { passed: 0, failed: 0, skipped: 0 };
    let bedSkipped = 0;
    for (const module of testModules) {
      for (const test of module.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') counts.passed += 1;
        else if (state === 'failed') counts.failed += 1;
        else if (state === 'skipped') {
          counts.skipped += 1;
          if (module.project.name === 'bed') bedSkipped += 1;
        }
      }
      if (module.state() === 'failed' && module.children.size === 0) counts.failed += 1;
    }
    if (bedSkipped > 0 && !loadBed()) {
      console.log(`\n${bedSkipped} bed tests skipped: ${bedMissingMessage}`);
    }
    console.log(
      `\ntests: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`,
    );
  }
}
