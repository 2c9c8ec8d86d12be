import type { Reporter, TestModule } from 'vitest/node';
import { bedMissingMessage, loadBed } from './bed';

/** Ends the run with one line saying how many bed tests were skipped and why. */
export default class BedSkipReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    if (loadBed()) return;
    let skipped = 0;
    for (const module of testModules) {
      if (module.project.name !== 'bed') continue;
      for (const test of module.children.allTests()) {
        if (test.result().state === 'skipped') skipped += 1;
      }
    }
    if (skipped > 0) console.log(`\n${skipped} bed tests skipped: ${bedMissingMessage}\n`);
  }
}
