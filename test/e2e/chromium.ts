import { existsSync } from 'node:fs';
import { describe } from 'vitest';
import { bedRequired } from '../helpers/bed';

export const chromiumPath = '/usr/bin/chromium';

export const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

const missing = `Chromium is not installed (${chromiumPath} missing): run \`npm run testbed:up\` or \`apt-get install -y chromium\``;

/**
 * describe() for tests that drive Debian's Chromium, which the bed installs. Where it is
 * missing they are skipped (counted with the bed tests: these files are `*.bed.test.ts`),
 * except where the bed is required (CI): there the suite fails saying what to install.
 */
export function describeChromium(name: string, body: () => void): void {
  if (existsSync(chromiumPath)) {
    describe(name, body);
  } else if (bedRequired) {
    describe(name, () => {
      throw new Error(missing);
    });
  } else {
    describe.skip(name, body);
  }
}
