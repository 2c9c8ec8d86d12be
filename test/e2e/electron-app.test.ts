import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { _electron } from 'playwright-core';
import type { ElectronApplication } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { electronAvailability } from './electron-availability';
import { ensureBuild, projectRoot } from './ensure-build';

const availability = electronAvailability();
if (!availability.runnable) {
  // Not a CI failure: where the window cannot exist, main and preload are covered
  // with electron faked instead (test/main). The reason is printed so a skip is seen.
  console.warn(`the Electron window test did not run: ${availability.reason}`);
}

describe.skipIf(!availability.runnable)('the Electron window', () => {
  let app: ElectronApplication;
  const { version } = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as {
    version: string;
  };

  beforeAll(async () => {
    if (!availability.runnable) return;
    await ensureBuild();
    app = await _electron.launch({
      executablePath: availability.binary,
      args: ['--no-sandbox', projectRoot],
      cwd: projectRoot,
    });
  }, 120_000);

  afterAll(() => app?.close());

  it('shows the version through preload and main, with no Node in the page', async () => {
    const window = await app.firstWindow();
    await expect
      .poll(() => window.getByTestId('app-version').textContent(), { timeout: 60_000 })
      .toBe(`v${version}`);
    expect(await window.locator('.badge').textContent()).toBe('Desktop');
    expect(await window.evaluate('Object.keys(window.setmov)')).toEqual(['request', 'onEvent']);
    expect(await window.evaluate('typeof require + typeof process')).toBe('undefinedundefined');
  }, 90_000);
});
