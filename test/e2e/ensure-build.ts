import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const root = fileURLToPath(new URL('../..', import.meta.url));
const outputs = ['out/main/index.js', 'out/preload/index.cjs', 'out/renderer/index.html'];
const inputs = ['src/main', 'src/preload', 'src/renderer', 'src/shared', 'electron.vite.config.ts'];
const lockDir = join(root, 'node_modules', '.cache', 'setmov-e2e-build.lock');
/** A build takes seconds; a lock this old was left by a killed test run. */
const staleLockMs = 120_000;

function newestMtimeMs(path: string): number {
  const stats = statSync(path);
  if (!stats.isDirectory()) return stats.mtimeMs;
  return readdirSync(path).reduce(
    (newest, entry) => Math.max(newest, newestMtimeMs(join(path, entry))),
    stats.mtimeMs,
  );
}

function buildIsCurrent(): boolean {
  const built = outputs.map((file) => join(root, file));
  if (!built.every((file) => existsSync(file))) return false;
  const oldestOutput = Math.min(...built.map((file) => statSync(file).mtimeMs));
  return inputs.every((input) => newestMtimeMs(join(root, input)) <= oldestOutput);
}

async function acquireLock(timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  mkdirSync(join(lockDir, '..'), { recursive: true });
  for (;;) {
    try {
      mkdirSync(lockDir);
      return;
    } catch {
      const lockedAt = statSync(lockDir, { throwIfNoEntry: false })?.mtimeMs ?? Date.now();
      if (Date.now() - lockedAt > staleLockMs) rmSync(lockDir, { recursive: true, force: true });
      if (Date.now() > deadline)
        throw new Error(`another build holds ${lockDir}; remove it if stale`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

/**
 * Runs `electron-vite build` when out/ is missing or older than the sources, so the
 * end-to-end tests always exercise the code under test. Test files share one build
 * through a lock directory.
 */
export async function ensureBuild(): Promise<void> {
  if (buildIsCurrent()) return;
  await acquireLock(120_000);
  try {
    if (buildIsCurrent()) return;
    await promisify(execFile)(join(root, 'node_modules', '.bin', 'electron-vite'), ['build'], {
      cwd: root,
      env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1' },
    });
  } finally {
    rmSync(lockDir, { recursive: true, force: true });
  }
}

export const projectRoot = root;
