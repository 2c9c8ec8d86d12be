import { copyFileSync, closeSync, openSync, readFileSync, writeSync } from 'node:fs';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Store } from '../../src/store/store';
import { StoreError } from '../../src/store/store-error';
import { makeHostSample, makeRandom, makeVmSample, vmUuid } from './sample-factory';
import { tempDir } from './temp-db';

const PAGE_BYTES = 4096;
const T0 = Date.now() - 3_600_000;

/** A real history: one host and 50 VMs, 20 polls, closed cleanly (no -wal left). */
function makeHistory(path: string): void {
  const store = Store.open({ path });
  const rand = makeRandom(7);
  for (let poll = 0; poll < 20; poll++) {
    const ts = T0 + poll * 2000;
    store.ingest([
      { type: 'host-sample', sample: makeHostSample(ts, rand) },
      ...Array.from({ length: 50 }, (_, i) => ({
        type: 'vm-sample' as const,
        sample: makeVmSample(i, ts, rand),
      })),
    ]);
  }
  store.close();
}

/** The first page of a table or index, from SQLite's own page map. */
function firstPage(path: string, name: string): number {
  const db = new Database(path, { readonly: true });
  try {
    return (
      db.prepare('SELECT min(pageno) AS p FROM dbstat WHERE name = ?').get(name) as { p: number }
    ).p;
  } finally {
    db.close();
  }
}

/** A copy of the history with `bytes` of garbage written at `offset`. */
function damagedCopy(source: string, target: string, offset: number, bytes: number): string {
  copyFileSync(source, target);
  const fd = openSync(target, 'r+');
  try {
    writeSync(fd, Buffer.alloc(bytes, 0xa5), 0, bytes, offset);
  } finally {
    closeSync(fd);
  }
  return target;
}

function openError(path: string): unknown {
  try {
    Store.open({ path }).close();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('a damaged history file', () => {
  const tmp = tempDir();
  const good = tmp.file('good.db');
  beforeAll(() => makeHistory(good));
  afterAll(() => tmp.remove());

  const saysWhatToDo = (path: string) =>
    expect.objectContaining({
      name: 'StoreError',
      code: 'bad-database',
      message: expect.stringContaining(
        `Move it aside (rename ${path}, and any ${path}-wal and ${path}-shm beside it)`,
      ),
    });

  it('is a bad-database StoreError at open when a page of the VM table is garbage', () => {
    const path = damagedCopy(
      good,
      tmp.file('vms.db'),
      (firstPage(good, 'vms') - 1) * PAGE_BYTES,
      PAGE_BYTES,
    );
    const error = openError(path);
    expect(error).toBeInstanceOf(StoreError);
    expect(error).toEqual(saysWhatToDo(path));
    expect((error as Error).message).toMatch(/is damaged \(database disk image is malformed\)/);
  });

  it('is a bad-database StoreError at open when a page of the host table is garbage', () => {
    const path = damagedCopy(
      good,
      tmp.file('hosts.db'),
      (firstPage(good, 'hosts') - 1) * PAGE_BYTES,
      PAGE_BYTES,
    );
    expect(openError(path)).toEqual(saysWhatToDo(path));
  });

  it('is a bad-database StoreError at open when the header is garbage', () => {
    const path = damagedCopy(good, tmp.file('header.db'), 0, 100);
    const error = openError(path);
    expect(error).toEqual(saysWhatToDo(path));
    expect((error as Error).message).toMatch(/is not a SQLite database \(file is not a database\)/);
  });

  it('is a bad-database StoreError from query and ingest when a sample page is garbage', () => {
    const page = firstPage(good, 'vm_samples_minute');
    const path = damagedCopy(good, tmp.file('samples.db'), (page - 1) * PAGE_BYTES, PAGE_BYTES);
    const store = Store.open({ path });
    try {
      expect(() =>
        store.query({
          entity: { kind: 'vm', uuid: vmUuid(1) },
          metrics: ['cpuGuestPercent'],
          from: T0 - 1000,
          to: T0 + 60_000,
          maxPoints: 100,
        }),
      ).toThrow(saysWhatToDo(path));
      const rand = makeRandom(8);
      expect(() =>
        store.ingest([{ type: 'vm-sample', sample: makeVmSample(1, T0 + 50_000, rand) }]),
      ).toThrow(saysWhatToDo(path));
    } finally {
      store.close();
    }
  });

  it('leaves the damaged file as it was, for the admin to move aside or recover', () => {
    const path = damagedCopy(
      good,
      tmp.file('kept.db'),
      (firstPage(good, 'vms') - 1) * PAGE_BYTES,
      PAGE_BYTES,
    );
    const before = readFileSync(path);
    openError(path);
    expect(readFileSync(path).equals(before)).toBe(true);
  });
});
