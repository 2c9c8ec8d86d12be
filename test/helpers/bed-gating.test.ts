import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const testRoot = fileURLToPath(new URL('..', import.meta.url));
// Its own samples below would match.
const thisFile = fileURLToPath(import.meta.url);

function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'bed' ? [] : testFiles(path);
    return entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

/**
 * What marks a test that needs the bed's MariaDB or its Chromium: the helpers that reach
 * them, the driver itself, or Playwright's Chromium launcher.
 */
const needsBed: [string, RegExp][] = [
  ['MariaDB (test-database)', /from '[./]*\/helpers\/test-database'/],
  ['MariaDB (sync-fixture)', /from '\.\/sync-fixture'/],
  ['MariaDB (private-mariadb)', /from '[./]*\/helpers\/private-mariadb'/],
  ['MariaDB (mysql2)', /from 'mysql2(\/promise)?'/],
  ['Chromium (describeChromium)', /from '[./]*chromium'/],
  ['Chromium (playwright)', /import\s*\{[^}]*\bchromium\b[^}]*\}\s*from 'playwright-core'/],
];

describe('test gating', () => {
  it('makes every test that needs MariaDB or Chromium a bed test, so a fresh machine skips it', () => {
    const ungated = testFiles(testRoot)
      .filter((path) => !path.endsWith('.bed.test.ts') && path !== thisFile)
      .flatMap((path) => {
        const source = readFileSync(path, 'utf8');
        return needsBed
          .filter(([, pattern]) => pattern.test(source))
          .map(([what]) => `${relative(testRoot, path)} needs ${what}`);
      });
    expect(ungated).toEqual([]);
  });

  it('recognises what it looks for (the scan can fail)', () => {
    const sample = [
      "import { useSyncFixture } from './sync-fixture';",
      "import mysql from 'mysql2/promise';",
      "import { describeChromium } from './chromium';",
      "import { chromium } from 'playwright-core';",
    ];
    for (const line of sample) {
      expect(needsBed.some(([, pattern]) => pattern.test(line))).toBe(true);
    }
    expect(
      needsBed.some(([, pattern]) => pattern.test("import { _electron } from 'playwright-core';")),
    ).toBe(false);
  });
});
