import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixturesRoot } from '../collector/procfs/fixtures';
import { runCli } from '../helpers/run-cli';

// A real full disk (tmpfs, root only: CI is root), as in test/store/disk-full.test.ts.
describe.skipIf(process.getuid?.() !== 0)('setmov collect --db on a full disk', () => {
  const mountPoint = mkdtempSync(join(tmpdir(), 'setmov-cli-full-'));
  beforeAll(() => execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'tmpfs', mountPoint]));
  afterAll(() => {
    execFileSync('umount', ['--lazy', mountPoint]);
    rmSync(mountPoint, { recursive: true, force: true });
  });

  function fillDisk(): void {
    const fd = openSync(join(mountPoint, 'filler'), 'w');
    try {
      for (const size of [1 << 16, 1]) for (;;) writeSync(fd, Buffer.alloc(size));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
    } finally {
      closeSync(fd);
    }
  }

  it('says the disk is full, keeps collecting, and says what was not written at exit', async () => {
    const db = join(mountPoint, 'history.db');
    const procRoot = join(fixturesRoot, 'this-host', 't0');
    const args = ['collect', '--proc-root', procRoot, '--interval', '0.1', '--json', '--db', db];
    let filled = false;
    // Full from the moment the first sample is printed (it was flushed just before).
    const { code, out, err } = await runCli([...args, '--count', '3'], {
      onOutput: () => {
        if (!filled) fillDisk();
        filled = true;
      },
    });
    expect(code).toBe(0);
    expect(out.trim().split('\n')).toHaveLength(3);
    const full = `the disk holding ${db} is full (database or disk is full): the write was undone; free some space`;
    expect(err.split('\n').filter(Boolean)).toEqual([
      `setmov: --db: ${full}; keeping what is collected in memory until it can write`,
      `setmov: --db: 2 queued records were not written (${full})`,
    ]);

    // Started again on the still-full disk: it runs, and says so again.
    const again = await runCli([...args, '--count', '1']);
    expect(again.code).toBe(0);
    expect(again.err).toContain(`setmov: --db: ${full}; keeping what is collected in memory`);
  });
});
