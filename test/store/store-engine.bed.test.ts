import { afterAll, beforeAll, expect, it } from 'vitest';
import { CollectorEngine } from '../../src/collector/engine/collector-engine';
import { storeEventsOf } from '../../src/store/from-engine';
import { MysqlSync } from '../../src/store/mysql/mysql-sync';
import { Store } from '../../src/store/store';
import type { StoreEvent } from '../../src/store/store-events';
import { describeBed } from '../helpers/bed';
import { createTestDatabase } from './helpers/test-database';
import { tempDir } from './temp-db';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describeBed('store and MySQL sync fed by the collector engine on the bed', (bed) => {
  let testDb: Awaited<ReturnType<typeof createTestDatabase>>;
  const tmp = tempDir();
  beforeAll(async () => {
    testDb = await createTestDatabase();
  });
  afterAll(async () => {
    await testDb.drop();
    tmp.remove();
  });

  it('stores 30 s of the bed and MySQL ends with exactly the same samples', async () => {
    const path = tmp.file('bed.db');
    const store = Store.open({ path });
    const sync = new MysqlSync({
      dbPath: path,
      target: { host: '127.0.0.1', port: 3306, user: 'root', database: testDb.name },
      password: '',
      intervalMs: 1000,
    });
    await sync.init();
    const abort = new AbortController();
    const following = sync.follow(abort.signal);
    const engine = new CollectorEngine();
    let queue: StoreEvent[] = [];
    engine.on((e) => queue.push(...storeEventsOf(e)));
    engine.addHost({ id: 'local', ssh: null, libvirtUri: bed.libvirt.uri, pollIntervalMs: 1000 });
    const rejected: string[] = [];
    const start = Date.now();
    while (Date.now() - start < 30_000) {
      await sleep(1000);
      const events = queue;
      queue = [];
      rejected.push(...store.ingest(events).rejected.map((r) => r.reason));
    }
    await engine.stop();
    store.ingest(queue);
    // the status' lag is as of the last round: let a round start after the last ingest
    await sleep(2500);
    const deadline = Date.now() + 30_000;
    while (sync.status().lagSamples > 0 && Date.now() < deadline) await sleep(250);
    abort.abort();
    await following;
    await sync.close();

    expect(rejected).toEqual([]);
    const local = store.db
      .prepare(
        'SELECT (SELECT count(*) FROM host_samples) AS host, (SELECT count(*) FROM vm_samples) AS vm',
      )
      .get() as { host: number; vm: number };
    const uuids = (
      store.db.prepare("SELECT uuid FROM vms WHERE state = 'running'").all() as { uuid: string }[]
    ).map((r) => r.uuid);
    store.close();
    expect(local.host).toBeGreaterThan(10);
    expect(local.vm).toBeGreaterThan(10 * bed.domains.length);
    for (const d of bed.domains) expect(uuids).toContain(d.uuid);
    const [counts] = (await testDb.query(
      `SELECT (SELECT count(*) FROM $db.t4_vm_usage) AS t4, (SELECT count(DISTINCT uuid, ts) FROM $db.t4_vm_usage) AS t4keys,
              (SELECT count(*) FROM $db.t2_host_usage) AS t2, (SELECT max(vmc) FROM $db.t1_host) AS vmc`,
    )) as { t4: number; t4keys: number; t2: number; vmc: number }[];
    expect(counts).toMatchObject({ t4: local.vm, t4keys: local.vm, t2: local.host });
    expect(counts?.vmc).toBeGreaterThanOrEqual(bed.domains.length);
    const cpuVm = bed.domains.find((d) => d.workload === 'cpu');
    const [busy] = (await testDb.query(
      `SELECT avg(cpu_guest_percent) AS guest FROM $db.t4_vm_usage WHERE uuid = '${cpuVm?.uuid ?? ''}'`,
    )) as { guest: number }[];
    expect(busy?.guest).toBeGreaterThan(50);
  }, 110_000);
});
