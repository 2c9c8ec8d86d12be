import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AppVersion } from '../shared/app-version';

/**
 * Name and version from the project's package.json. The path is two levels up both
 * from src/main (tsx, tests) and from out/main (the bundle), and inside a packaged
 * app.asar as well.
 */
export function readAppVersion(
  packageJsonPath = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'package.json'),
): AppVersion {
  const parsed = JSON.parse(readFileSync(packageJsonPath, 'utf8')) as unknown;
  const { name, version } = (parsed ?? {}) as { name?: unknown; version?: unknown };
  if (typeof version !== 'string' || version === '') {
    throw new Error(`${packageJsonPath} has no version`);
  }
  return typeof name === 'string' ? { version, name } : { version };
}
