import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { MysqlSync } from '../../../src/store/mysql/mysql-sync';
import type { MysqlSyncOptions } from '../../../src/store/mysql/mysql-sync';
import { Store } from '../../../src/store/store';
import type { StoreEvent } from '../../../src/store/store-events';
import { createTestDatabase, sharedMysql } from '../helpers/test-database';
import { makeHostSample, makeRandom, makeVmSample } from '../sample-factory';
import { tempDir } from '../temp-db';

export type TestDb = Awaited<ReturnType<typeof createTestDatabase>>;

export interface SyncFixture {
  /** The file's own database on the machine's MariaDB. */
  readonly testDb: TestDb;
  /** A fresh SQLite history per test, in a temporary folder. */
  readonly store: Store;
  readonly tmp: ReturnType<typeof tempDir>;
  /** An hour ago: samples are written from here on, 2 s apart. */
  readonly t0: number;
  /** A sync of the test's history into the test's database; closed after the test. */
  newSync(overrides?: Partial<MysqlSyncOptions>): MysqlSync;
  /** One host and `vms` VMs, each with `perVm` samples. */
  ingestSamples(vms: number, perVm: number, seed?: number): void;
}

/**
 * The MySQL sync tests' setup, registered in the calling describe block: one database per
 * file (dropped at the end), empty t1–t4 and a new SQLite file per test.
 */
export function useSyncFixture(): SyncFixture {
  let testDb: TestDb;
  let tmp: ReturnType<typeof tempDir>;
  let store: Store;
  const syncs: MysqlSync[] = [];
  const t0 = Date.now() - 3600_000;

  beforeAll(async () => {
    testDb = await createTestDatabase();
  });
  afterAll(async () => {
    await testDb.drop();
  });
  beforeEach(async () => {
    tmp = tempDir();
    store = Store.open({ path: tmp.file('h.db') });
    await testDb.query(
      'DROP TABLE IF EXISTS $db.t4_vm_usage, $db.t2_host_usage, $db.t3_vm, $db.t1_host, $db.setmov_schema_version',
    );
  });
  afterEach(async () => {
    for (const s of syncs.splice(0)) await s.close();
    store.close();
    tmp.remove();
  });

  return {
    get testDb() {
      return testDb;
    },
    get store() {
      return store;
    },
    get tmp() {
      return tmp;
    },
    t0,
    newSync(overrides = {}) {
      const sync = new MysqlSync({
        dbPath: tmp.file('h.db'),
        target: {
          host: sharedMysql.host,
          port: sharedMysql.port,
          user: 'root',
          database: testDb.name,
        },
        password: '',
        connectTimeoutMs: 3000,
        ...overrides,
      });
      syncs.push(sync);
      return sync;
    },
    ingestSamples(vms, perVm, seed = 1) {
      const rand = makeRandom(seed);
      const events: StoreEvent[] = [];
      store.upsertHost({ name: 'kvm-host-1', ip: '192.0.2.10', cores: 8, memoryBytes: 8e9 });
      for (let k = 0; k < perVm; k++) {
        const ts = t0 + k * 2000;
        events.push({ type: 'host-sample', sample: makeHostSample(ts, rand) });
        for (let v = 0; v < vms; v++)
          events.push({ type: 'vm-sample', sample: makeVmSample(v, ts, rand) });
      }
      store.ingest(events);
    },
  };
}
