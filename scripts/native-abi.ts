/**
 * Makes node_modules' better-sqlite3 match the runtime about to use it:
 *   tsx scripts/native-abi.ts node       before tests, the CLI and benchmarks
 *   tsx scripts/native-abi.ts electron   before launching or packaging the app
 * Electron has its own ABI (NODE_MODULE_VERSION), so one build cannot serve both.
 * Never run from postinstall: a fresh install stays on Node's ABI, which the tests use.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compiledAbiFromError, planNativeBuild } from './native-abi-plan';
import type { NativeProbe, NativeRuntime } from './native-abi-plan';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = (name: string): string => join(root, 'node_modules', '.bin', name);

/** Loads the module in a child Node, so a rebuild never overwrites a binary this process has mapped. */
function probe(): NativeProbe {
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

function electronVersion(): string {
  const pkg = join(root, 'node_modules', 'electron', 'package.json');
  return (JSON.parse(readFileSync(pkg, 'utf8')) as { version: string }).version;
}

/** Electron's ABI from node-abi, the table @electron/rebuild itself uses. */
function electronAbi(version: string): number {
  const nodeAbi = createRequire(join(root, 'node_modules', '@electron', 'rebuild', 'package.json'))(
    'node-abi',
  ) as { getAbi(target: string, runtime: string): string };
  return Number(nodeAbi.getAbi(version, 'electron'));
}

function run(command: string, args: string[]): void {
  console.log(`native-abi: ${[command, ...args].join(' ')}`);
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`native-abi: ${command} failed (exit ${result.status ?? result.signal})`);
    process.exit(1);
  }
}

const wanted = process.argv[2];
if (wanted !== 'node' && wanted !== 'electron') {
  console.error('usage: tsx scripts/native-abi.ts node|electron');
  process.exit(2);
}
const version = electronVersion();
const found = probe();
const action = planNativeBuild(wanted as NativeRuntime, found, electronAbi(version));
if (action === 'rebuild-for-node') run('npm', ['rebuild', 'better-sqlite3']);
if (action === 'rebuild-for-electron') {
  run(bin('electron-rebuild'), ['--force', '--only', 'better-sqlite3', '--version', version]);
}
if (wanted === 'node' && action !== 'none' && probe().state !== 'loads') {
  console.error('native-abi: better-sqlite3 still does not load under Node after the rebuild');
  process.exit(1);
}
