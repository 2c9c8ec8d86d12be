import { existsSync } from 'node:fs';
import { describeNeeding } from '../helpers/bed';

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
 * describe() for tests that drive Debian's Chromium, which the bed installs: skipped with
 * the reason where it is missing, failing instead where the bed is required (CI).
 */
export function describeChromium(name: string, body: () => void): void {
  describeNeeding(name, existsSync(chromiumPath) ? null : missing, body);
}
