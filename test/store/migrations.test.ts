import { copyFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
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
    const store = Store.open({ path, now: () => v1Start + 3600_000 });
    try {
      expect(store.db.pragma('user_version', { simple: true })).toBe(latestSqliteVersion);
      const counts = store.db
        .prepare(
          'SELECT (SELECT count(*) FROM vm_samples) AS vm, (SELECT count(*) FROM host_samples) AS host, (SELECT count(*) FROM vm_events) AS events',
        )
        .get();
      expect(counts).toEqual({ vm: 1800, host: 900, events: 1 });
      const q = store.query({
        entity: { kind: 'vm', uuid: vmUuid(1) },
        metrics: ['cpuGuestPercent'],
        from: v1Start,
        to: v1Start + 1800_000,
        maxPoints: 30,
      });
      expect(q.points.reduce((a, p) => a + p.n, 0)).toBe(900);
      const result = store.ingest([
        { type: 'vm-sample', sample: makeVmSample(1, v1Start + 1800_000, makeRandom(1)) },
      ]);
      expect(result.vmSamples).toBe(1);
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
