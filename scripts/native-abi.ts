/**
 * Makes node_modules' better-sqlite3 match the runtime about to use it:
 *   tsx scripts/native-abi.ts node       before tests, the CLI and benchmarks
 *   tsx scripts/native-abi.ts electron   before launching or packaging the app
 * Electron has its own ABI (NODE_MODULE_VERSION), so one build cannot serve both.
 * Never run from postinstall: a fresh install stays on Node's ABI, which the tests use.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { planNativeBuild } from './native-abi-plan';
import type { NativeRuntime } from './native-abi-plan';
import { electronAbi, electronVersion, probeNativeBuild, projectRoot } from './native-abi-probe';

function run(command: string, args: string[]): void {
  console.log(`native-abi: ${[command, ...args].join(' ')}`);
  const result = spawnSync(command, args, { cwd: projectRoot, stdio: 'inherit' });
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
const action = planNativeBuild(wanted as NativeRuntime, probeNativeBuild(), electronAbi(version));
if (action === 'rebuild-for-node') run('npm', ['rebuild', 'better-sqlite3']);
if (action === 'rebuild-for-electron') {
  const rebuild = join(projectRoot, 'node_modules', '.bin', 'electron-rebuild');
  run(rebuild, ['--force', '--only', 'better-sqlite3', '--version', version]);
}
if (wanted === 'node' && action !== 'none' && probeNativeBuild().state !== 'loads') {
  console.error('native-abi: better-sqlite3 still does not load under Node after the rebuild');
  process.exit(1);
}
