import { existsSync } from 'node:fs';
import { describe } from 'vitest';

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
 * describe() for tests that drive Debian's Chromium. Without it the suite fails saying what
 * to install, in CI and out of it: Chromium is part of the bed, never a reason to skip.
 */
export function describeChromium(name: string, body: () => void): void {
  if (existsSync(chromiumPath)) {
    describe(name, body);
  } else {
    describe(name, () => {
      throw new Error(missing);
    });
  }
}
