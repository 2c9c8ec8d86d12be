import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BoundedFileError, readBoundedFile } from '../../../src/collector/files/read-bounded-file';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'setmov-bounded-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('readBoundedFile', () => {
  it('reads a regular file within the limit', async () => {
    const path = join(dir, 'ca.pem');
    writeFileSync(path, 'exactly 16 bytes');
    expect((await readBoundedFile(path, 16)).toString()).toBe('exactly 16 bytes');
  });

  it('refuses a file over the limit, naming the path and the limit, without reading it', async () => {
    const path = join(dir, 'sparse');
    writeFileSync(path, '');
    truncateSync(path, 8 * 1024 * 1024 * 1024);
    const read = readBoundedFile(path, 1024 * 1024);
    await expect(read).rejects.toBeInstanceOf(BoundedFileError);
    await expect(read).rejects.toThrow(`${path}: larger than the 1048576 bytes allowed`);
  });

  it('reads a file whole however it is cut into reads, up to exactly the limit', async () => {
    const path = join(dir, 'key');
    const text = 'k'.repeat(64 * 1024);
    writeFileSync(path, text);
    expect((await readBoundedFile(path, 64 * 1024)).toString()).toBe(text);
    await expect(readBoundedFile(path, 64 * 1024 - 1)).rejects.toBeInstanceOf(BoundedFileError);
  });

  it('refuses a device like /dev/zero', async () => {
    await expect(readBoundedFile('/dev/zero', 1024)).rejects.toThrow(
      '/dev/zero: not a regular file',
    );
  });

  it('refuses a FIFO without waiting for a writer', async () => {
    const path = join(dir, 'fifo');
    execFileSync('mkfifo', [path]);
    const started = performance.now();
    await expect(readBoundedFile(path, 1024)).rejects.toThrow(`${path}: not a regular file`);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('refuses a directory', async () => {
    await expect(readBoundedFile(dir, 1024)).rejects.toBeInstanceOf(BoundedFileError);
  });

  it('leaves a missing file to the caller as ENOENT', async () => {
    await expect(readBoundedFile(join(dir, 'none'), 1024)).rejects.toMatchObject({
      code: 'ENOENT',
    });
  });
});
