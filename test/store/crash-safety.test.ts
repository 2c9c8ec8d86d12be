import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from './temp-db';

const childSource = fileURLToPath(new URL('./helpers/ingest-child.ts', import.meta.url));
const nodeModules = fileURLToPath(new URL('../../node_modules', import.meta.url));
const BATCH = 500;
let child = '';

/** Runs the ingesting child until it has committed a little, then SIGKILLs it mid-stream. */
async function ingestAndKill(path: string, runMs: number): Promise<number> {
  const proc = spawn(process.execPath, [child, path, String(BATCH)], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, NODE_PATH: nodeModules },
  });
  let lastReported = -1;
  let buffered = '';
  let started: () => void = () => undefined;
  const firstBatch = new Promise<void>((resolve) => (started = resolve));
  proc.stdout.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines) lastReported = Number(line);
    started();
  });
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  await firstBatch;
  await new Promise((r) => setTimeout(r, runMs));
  proc.kill('SIGKILL');
  await exited;
  return lastReported;
}

describe('crash safety: SIGKILL during heavy ingest', () => {
  const tmp = tempDir();
  // Bundled once, so each of the 20 children starts in milliseconds instead of compiling TypeScript.
  beforeAll(async () => {
    child = tmp.file('ingest-child.cjs');
    await build({
      entryPoints: [childSource],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      outfile: child,
      external: ['better-sqlite3'],
      logLevel: 'error',
    });
  });
  afterAll(() => tmp.remove());

  it('keeps the file intact 20 times and loses at most the batch in flight', async () => {
    const path = tmp.file('crash.db');
    for (let round = 0; round < 20; round++) {
      const reported = await ingestAndKill(path, 50 + ((round * 137) % 400));
      const db = new Database(path);
      try {
        expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
        const { n } = db.prepare('SELECT count(*) AS n FROM vm_samples').get() as { n: number };
        // Printed after each commit: a kill between commit and print leaves one batch more.
        expect(n).toBeGreaterThanOrEqual(reported);
        expect(n).toBeLessThanOrEqual(reported + BATCH);
        expect(n % BATCH).toBe(0);
      } finally {
        db.close();
      }
    }
  }, 120_000);
});
