import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCollectSink } from '../../src/store/collect-sink';
import type { CollectSinkStatus } from '../../src/store/collect-sink';
import { Store } from '../../src/store/store';
import { StoreError } from '../../src/store/store-error';
import { makeHostSample, makeRandom, makeVmSample } from './sample-factory';

/** Polls of one host and 49 VMs: 50 samples each, 4,000 in 80 polls. */
const POLLS = 80;
const VMS = 49;
const T0 = Date.now() - 3_600_000;

/**
 * A real full disk: a 16 MiB tmpfs, filled to the last byte by a filler file the test
 * removes to give the space back. Mounting needs root, which CI has.
 */
describe.skipIf(process.getuid?.() !== 0)('the collect sink on a full disk', () => {
  const mountPoint = mkdtempSync(join(tmpdir(), 'setmov-full-'));
  const filler = join(mountPoint, 'filler');
  beforeAll(() => {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=16m', 'tmpfs', mountPoint]);
  });
  afterAll(() => {
    // Lazy: a sink a failed test left open must not keep the mount (and its 16 MiB) behind.
    execFileSync('umount', ['--lazy', mountPoint]);
    rmSync(mountPoint, { recursive: true, force: true });
  });

  function fillDisk(): void {
    const fd = openSync(filler, 'w');
    try {
      for (const size of [1 << 20, 1 << 12, 1]) {
        const block = Buffer.alloc(size);
        for (;;) writeSync(fd, block);
      }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
    } finally {
      closeSync(fd);
    }
  }

  /** Writes the polls of host `host` (its VMs numbered from vmBase), flushing after each. */
  function writePolls(
    sink: ReturnType<typeof openCollectSink>,
    host: string,
    vmBase: number,
    ts0: number,
  ): void {
    const rand = makeRandom(3);
    for (let poll = 0; poll < POLLS; poll++) {
      const ts = ts0 + poll * 2000;
      sink.write(makeHostSample(ts, rand, host));
      for (let i = 0; i < VMS; i++) sink.write(makeVmSample(vmBase + i, ts, rand, host));
      sink.flush();
    }
  }

  /** Samples stored per VM of the host, and the host's own. */
  function stored(sink: ReturnType<typeof openCollectSink>, host: string) {
    const db = sink.store.db;
    const hostRows = db
      .prepare(
        'SELECT count(*) AS n, min(s.ts) AS first FROM host_samples s JOIN hosts h ON h.id = s.host_id WHERE h.name = ?',
      )
      .get(host) as { n: number; first: number | null };
    const perVm = db
      .prepare(
        `SELECT v.uuid, count(*) AS n FROM vm_samples s JOIN vms v ON v.id = s.vm_id
         JOIN hosts h ON h.id = v.host_id WHERE h.name = ? GROUP BY v.uuid`,
      )
      .all(host) as { uuid: string; n: number }[];
    return { host: hostRows, perVm: perVm.map((row) => row.n) };
  }

  it('keeps all 4,000 samples while the disk is full, says so, and writes them when space is back', () => {
    const reports: CollectSinkStatus[] = [];
    const sink = openCollectSink({
      dbPath: join(mountPoint, 'kept.db'),
      onStatus: (status) => reports.push(status),
    });
    try {
      writePolls(sink, 'kvm-host-1', 0, T0);
      expect(sink.status()).toMatchObject({ state: 'ok', pending: 0, written: 4000, dropped: 0 });
      fillDisk();
      // A host and VMs first seen while full: their rows are undone along with the samples.
      writePolls(sink, 'kvm-host-2', 100, T0 + 1_000_000);
      expect(reports).toHaveLength(1);
      expect(reports[0]).toMatchObject({ state: 'disk-full', pending: 50, dropped: 0 });
      expect(reports[0]?.error).toBeInstanceOf(StoreError);
      expect(reports[0]?.error).toMatchObject({
        code: 'disk-full',
        message: expect.stringContaining(`the disk holding ${join(mountPoint, 'kept.db')} is full`),
      });
      expect(sink.status()).toMatchObject({ state: 'disk-full', pending: 4000, dropped: 0 });
      expect(stored(sink, 'kvm-host-2')).toEqual({ host: { n: 0, first: null }, perVm: [] });

      rmSync(filler);
      sink.flush();
      expect(reports).toHaveLength(2);
      expect(reports[1]).toMatchObject({
        state: 'ok',
        pending: 0,
        written: 8000,
        dropped: 0,
        error: null,
      });
      expect(stored(sink, 'kvm-host-2')).toEqual({
        host: { n: POLLS, first: T0 + 1_000_000 },
        perVm: Array.from({ length: VMS }, () => POLLS),
      });
    } finally {
      rmSync(filler, { force: true });
      sink.close();
    }
  });

  it('says how many samples are lost when it is closed while the disk is still full', () => {
    const reports: CollectSinkStatus[] = [];
    const sink = openCollectSink({
      dbPath: join(mountPoint, 'closed.db'),
      onStatus: (status) => reports.push(status),
    });
    try {
      writePolls(sink, 'kvm-host-1', 0, T0);
      fillDisk();
      sink.write(makeHostSample(T0 + 1_000_000, makeRandom(4)));
      const final = sink.close();
      expect(final).toMatchObject({ state: 'disk-full', pending: 1, closed: true });
      expect(reports.map((r) => [r.state, r.pending, r.closed])).toEqual([
        ['disk-full', 1, false],
        ['disk-full', 1, true],
      ]);
    } finally {
      rmSync(filler, { force: true });
    }
  });

  it('is a disk-full StoreError when the history cannot even be opened', () => {
    const path = join(mountPoint, 'unopened.db');
    Store.open({ path }).close();
    fillDisk();
    try {
      // Closed cleanly, the file has no -shm left, and SQLite cannot make one.
      expect(() => Store.open({ path })).toThrow(
        expect.objectContaining({
          name: 'StoreError',
          code: 'disk-full',
          message: expect.stringMatching(
            new RegExp(
              `^the disk holding ${path} is full \\(.*\\): nothing was written; free some space$`,
            ),
          ),
        }),
      );
    } finally {
      rmSync(filler, { force: true });
    }
    Store.open({ path }).close();
  });

  it('drops the oldest samples beyond maxPending, counts them and reports it once', () => {
    const reports: CollectSinkStatus[] = [];
    const sink = openCollectSink({
      dbPath: join(mountPoint, 'bounded.db'),
      maxPending: 1000,
      onStatus: (status) => reports.push(status),
    });
    try {
      writePolls(sink, 'kvm-host-1', 0, T0);
      fillDisk();
      writePolls(sink, 'kvm-host-2', 100, T0 + 1_000_000);
      expect(reports.map((r) => [r.state, r.dropped > 0])).toEqual([
        ['disk-full', false],
        ['disk-full', true],
      ]);
      expect(sink.status()).toMatchObject({ state: 'disk-full', pending: 1000, dropped: 3000 });

      rmSync(filler);
      const final = sink.close();
      expect(final).toMatchObject({
        state: 'ok',
        pending: 0,
        written: 5000,
        dropped: 3000,
        closed: true,
      });
      expect(reports.at(-1)).toEqual({ ...final, closed: false });
    } finally {
      rmSync(filler, { force: true });
    }
    const again = openCollectSink({ dbPath: join(mountPoint, 'bounded.db') });
    try {
      // The newest 20 polls, whole: 1,000 samples.
      expect(stored(again, 'kvm-host-2')).toEqual({
        host: { n: 20, first: T0 + 1_000_000 + 60 * 2000 },
        perVm: Array.from({ length: VMS }, () => 20),
      });
    } finally {
      again.close();
    }
  });
});
