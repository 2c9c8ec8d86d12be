import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compiledAbiFromError } from './native-abi-plan';
import type { NativeProbe } from './native-abi-plan';

export const projectRoot = fileURLToPath(new URL('..', import.meta.url));

/**
 * Loads better-sqlite3 in a child Node and tells what its binary is built for. A child,
 * so that a rebuild afterwards never overwrites a binary this process has mapped.
 */
export function probeNativeBuild(root = projectRoot): NativeProbe {
  const result = spawnSync(
    process.execPath,
    ['-e', "new (require('better-sqlite3'))(':memory:').close()"],
    { cwd: root, encoding: 'utf8' },
  );
  if (result.status === 0) return { state: 'loads' };
  const compiledAbi = compiledAbiFromError(result.stderr);
  if (compiledAbi !== undefined) return { state: 'other-abi', compiledAbi };
  return { state: 'broken', detail: result.stderr.trim().split('\n').slice(0, 3).join(' ') };
}

export function electronVersion(root = projectRoot): string {
  const pkg = join(root, 'node_modules', 'electron', 'package.json');
  return (JSON.parse(readFileSync(pkg, 'utf8')) as { version: string }).version;
}

/** Electron's ABI from node-abi, the table @electron/rebuild itself uses. */
export function electronAbi(version: string, root = projectRoot): number {
  const nodeAbi = createRequire(join(root, 'node_modules', '@electron', 'rebuild', 'package.json'))(
    'node-abi',
  ) as { getAbi(target: string, runtime: string): string };
  return Number(nodeAbi.getAbi(version, 'electron'));
}
