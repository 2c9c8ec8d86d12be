import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectionOptions, type MysqlTarget } from '../../../src/store/mysql/mysql-target';
import { SyncError } from '../../../src/store/mysql/sync-error';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'setmov-ca-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const target = (tlsCaFile: string | null): MysqlTarget => ({
  host: 'db',
  port: 3306,
  user: 'u',
  database: 'd',
  tlsCaFile,
});

describe('connectionOptions', () => {
  it('verifies the server against the CA file', async () => {
    const ca = join(dir, 'ca.pem');
    writeFileSync(ca, '-----BEGIN CERTIFICATE-----\n');
    const options = await connectionOptions(target(ca), 'pw', 1000);
    expect(options.ssl).toEqual({
      ca: Buffer.from('-----BEGIN CERTIFICATE-----\n'),
      rejectUnauthorized: true,
    });
    expect((await connectionOptions(target(null), 'pw', 1000)).ssl).toBeUndefined();
  });

  it.each([
    ['/dev/zero', () => '/dev/zero', /not a regular file/],
    [
      'a FIFO',
      () => {
        const fifo = join(dir, 'fifo');
        execFileSync('mkfifo', [fifo]);
        return fifo;
      },
      /not a regular file/,
    ],
    [
      'a file over 1 MiB',
      () => {
        const huge = join(dir, 'huge.pem');
        writeFileSync(huge, '');
        truncateSync(huge, 1024 * 1024 + 1);
        return huge;
      },
      /larger than the 1048576 bytes allowed/,
    ],
    ['a directory', () => dir, /not a regular file/],
    ['a missing file', () => join(dir, 'none.pem'), /ENOENT/],
  ])('refuses %s as the CA file, without reading it', async (_what, file, reason) => {
    const options = (async () => connectionOptions(target(file()), 'pw', 1000))();
    await expect(options).rejects.toBeInstanceOf(SyncError);
    await expect(options).rejects.toMatchObject({ code: 'tls', message: reason });
  });
});
