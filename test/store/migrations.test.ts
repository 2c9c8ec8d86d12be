import { copyFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Outbox, mysqlDatetime } from '../../src/store/mysql/outbox';
import { latestSqliteVersion, sqliteMigrations } from '../../src/store/sqlite/migrations';
import { openDatabase } from '../../src/store/sqlite/open-database';
import { Store } from '../../src/store/store';
import { makeRandom, makeVmSample, vmUuid } from './sample-factory';
import { tempDir } from './temp-db';

const v1Fixture = fileURLToPath(new URL('../fixtures/store/v1.db', import.meta.url));
const v1Start = Date.UTC(2026, 10, 1, 0, 0, 0);

describe('SQLite schema versions', () => {
  let tmp: ReturnType<typeof tempDir>;
  beforeEach(() => (tmp = tempDir()));
  afterEach(() => tmp.remove());

  it('numbers the migrations 1..n with no gap', () => {
    expect(sqliteMigrations.map((m) => m.version)).toEqual(
      Array.from({ length: latestSqliteVersion }, (_, i) => i + 1),
    );
  });

  it('opens the checked-in version-1 file, upgrading it in place with its data', () => {
    const path = tmp.file('old.db');
    copyFileSync(v1Fixture, path);
    // What a version-1 sync had sent before the upgrade: samples up to these ids.
    const target = 'mysql://root@127.0.0.1:3306/setmov';
    const marks = { vm_samples: 1000, host_samples: 500, hosts: 3, vms: 3 };
    const v1 = new Database(path);
    const insertMark = v1.prepare(
      'INSERT INTO sync_watermarks (target, stream, value, updated_at) VALUES (?, ?, ?, ?)',
    );
    for (const [stream, value] of Object.entries(marks))
      insertMark.run(target, stream, value, v1Start + 3000_000);
    // Everything read straight from the version-1 file, to compare after the upgrade.
    const before = {
      version: v1.pragma('user_version', { simple: true }),
      vmSamples: v1.prepare('SELECT * FROM vm_samples ORDER BY id').all(),
      hostSamples: v1.prepare('SELECT * FROM host_samples ORDER BY id').all(),
      vms: v1.prepare('SELECT * FROM vms ORDER BY id').all(),
      hosts: v1.prepare('SELECT * FROM hosts ORDER BY id').all(),
      events: v1.prepare('SELECT * FROM vm_events ORDER BY id').all(),
      rollups: v1.prepare('SELECT * FROM vm_rollup_1m ORDER BY vm_id, bucket').all(),
      rollupState: v1.prepare('SELECT * FROM rollup_state ORDER BY name').all(),
      marks: v1.prepare('SELECT * FROM sync_watermarks ORDER BY stream').all(),
      unsentVm: v1
        .prepare(
          'SELECT v.uuid, s.ts FROM vm_samples s JOIN vms v ON v.id = s.vm_id WHERE s.id > ?',
        )
        .all(marks.vm_samples) as { uuid: string; ts: number }[],
    };
    v1.close();
    expect(before.version).toBe(1);
    expect(before.vmSamples).toHaveLength(1800);
    expect(before.unsentVm).toHaveLength(800);

    const store = Store.open({ path, now: () => v1Start + 3600_000 });
    try {
      const db = store.db;
      expect(db.pragma('user_version', { simple: true })).toBe(latestSqliteVersion);
      expect(latestSqliteVersion).toBeGreaterThanOrEqual(2);
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      const indexes = (
        db
          .prepare(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name LIKE '%_samples'",
          )
          .all() as { name: string }[]
      ).map((r) => r.name);
      expect(indexes.sort()).toEqual(['host_samples_minute', 'vm_samples_minute']);
      // every row, every column, as version 1 had it; version 4's paging columns NULL
      const paging = { mem_swap_in: null, mem_major_faults: null };
      const pagingRollup = Object.fromEntries(
        ['mem_swap_in', 'mem_major_faults'].flatMap((c) =>
          ['min', 'avg', 'max'].map((agg) => [`${c}_${agg}`, null]),
        ),
      );
      expect(db.prepare('SELECT * FROM vm_samples ORDER BY id').all()).toEqual(
        before.vmSamples.map((row) => ({ ...(row as object), ...paging })),
      );
      expect(db.prepare('SELECT * FROM host_samples ORDER BY id').all()).toEqual(
        before.hostSamples,
      );
      expect(db.prepare('SELECT * FROM vms ORDER BY id').all()).toEqual(before.vms);
      // version 6 keys each host by the name it had, with no label yet
      expect(db.prepare('SELECT * FROM hosts ORDER BY id').all()).toEqual(
        before.hosts.map((row) => ({
          ...(row as object),
          key: (row as { name: string }).name,
          label: null,
        })),
      );
      expect(db.prepare('SELECT * FROM vm_events ORDER BY id').all()).toEqual(before.events);
      expect(db.prepare('SELECT * FROM vm_rollup_1m ORDER BY vm_id, bucket').all()).toEqual(
        before.rollups.map((row) => ({ ...(row as object), ...pagingRollup })),
      );
      expect(db.prepare('SELECT * FROM rollup_state ORDER BY name').all()).toEqual(
        before.rollupState,
      );
      expect(db.prepare('SELECT * FROM sync_watermarks ORDER BY stream').all()).toEqual(
        before.marks,
      );

      // The version-2 read paths find the version-1 rows: a raw chart of VM 1 gives back
      // the first minute's stored cpu_guest values, one sample per 2 s bucket.
      const firstMinute = before.vmSamples
        .filter((r) => (r as { vm_id: number }).vm_id === 1)
        .slice(0, 30) as { cpu_guest: number }[];
      const raw = store.query({
        entity: { kind: 'vm', uuid: vmUuid(1) },
        metrics: ['cpuGuestPercent'],
        from: v1Start,
        to: v1Start + 60_000,
        maxPoints: 30,
        resolution: 'raw',
      });
      expect(raw.points.map((p) => p.values.cpuGuestPercent?.avg)).toEqual(
        firstMinute.map((r) => r.cpu_guest / 100),
      );
      const q = store.query({
        entity: { kind: 'vm', uuid: vmUuid(1) },
        metrics: ['cpuGuestPercent'],
        from: v1Start,
        to: v1Start + 1800_000,
        maxPoints: 30,
      });
      expect(q.points.reduce((a, p) => a + p.n, 0)).toBe(900);

      // The sync resumes where version 1 stopped: exactly the samples after the marks.
      const outbox = new Outbox(db, target);
      expect(outbox.lag()).toBe(800 + 400);
      const batch = outbox.readBatch(5000);
      expect(batch.lastVmSampleId).toBe(1800);
      expect(batch.lastHostSampleId).toBe(900);
      const sentKeys = batch.t4.map((tuple) =>
        tuple.slice(1, tuple.indexOf(',', tuple.indexOf(',') + 1)),
      );
      expect(sentKeys.sort()).toEqual(
        before.unsentVm.map((r) => `'${r.uuid}','${mysqlDatetime(r.ts)}'`).sort(),
      );
      expect(batch.t2).toHaveLength(400);

      const result = store.ingest([
        { type: 'vm-sample', sample: makeVmSample(1, v1Start + 1800_000, makeRandom(1)) },
      ]);
      expect(result.vmSamples).toBe(1);
      expect(outbox.lag()).toBe(800 + 400 + 1);
    } finally {
      store.close();
    }
  });

  it('refuses a file from a newer SETMOV with a typed error, leaving it untouched', () => {
    const path = tmp.file('new.db');
    const db = new Database(path);
    db.pragma('user_version = 99');
    db.close();
    expect(() => openDatabase(path)).toThrow(expect.objectContaining({ code: 'schema-too-new' }));
  });

  it('refuses a file that is not SQLite with a typed error', () => {
    const path = tmp.file('junk.db');
    writeFileSync(
      path,
      'this is not a database, just text that is long enough to look like a header'.repeat(20),
    );
    expect(() => openDatabase(path)).toThrow(expect.objectContaining({ code: 'bad-database' }));
  });
});
