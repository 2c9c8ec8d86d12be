import { afterAll, beforeAll, expect, it } from 'vitest';
import mysql from 'mysql2/promise';
import { CollectorEngine } from '../../../src/collector/engine/collector-engine';
import { storeEventsOf } from '../../../src/store/from-engine';
import { MysqlSync } from '../../../src/store/mysql/mysql-sync';
import { mysqlDatetime } from '../../../src/store/mysql/outbox';
import type { SyncStatus } from '../../../src/shared/model/sync-status';
import { Store } from '../../../src/store/store';
import type { StoreEvent } from '../../../src/store/store-events';
import { describeBed } from '../../helpers/bed';
import { PrivateMariadb } from '../helpers/private-mariadb';
import { tempDir } from '../temp-db';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

const RUN_MS = 60_000;
const STOP_AT_MS = 20_000;
const START_AT_MS = 40_000;

/**
 * Zero loss, zero duplicates across a MySQL outage, as the issue states it: the collector
 * engine polls the bed's libvirtd at 1 s for 60 s, the store ingests every second and the
 * sync follows, while the MySQL server is stopped from 20 s to 40 s. The server is one of
 * the test's own (PrivateMariadb), so stopping it disturbs no one.
 */
describeBed('MySQL sync across a 20 s server outage, fed from the bed', (bed) => {
  let server: PrivateMariadb;
  const tmp = tempDir();

  beforeAll(async () => {
    server = await PrivateMariadb.create();
    const admin = await mysql.createConnection({
      host: '127.0.0.1',
      port: server.port,
      user: 'root',
    });
    await admin.query('CREATE DATABASE setmov');
    await admin.end();
  }, 60_000);
  afterAll(async () => {
    await server?.destroy();
    tmp.remove();
  });

  it('catches up after the outage: t2/t4 rows equal the SQLite samples, no (key, ts) twice', async () => {
    const path = tmp.file('bed.db');
    const store = Store.open({ path });
    const sync = new MysqlSync({
      dbPath: path,
      target: { host: '127.0.0.1', port: server.port, user: 'root', database: 'setmov' },
      password: '',
      intervalMs: 1000,
      maxBackoffMs: 2000,
      connectTimeoutMs: 2000,
    });
    await sync.init();
    const abort = new AbortController();
    const statuses: SyncStatus[] = [];
    const following = sync.follow(abort.signal, (s) => statuses.push(s));
    const engine = new CollectorEngine();
    let queue: StoreEvent[] = [];
    engine.on((e) => queue.push(...storeEventsOf(e)));
    engine.addHost({ id: 'local', ssh: null, libvirtUri: bed.libvirt.uri, pollIntervalMs: 1000 });

    const start = Date.now();
    let outage: [from: number, to: number] | null = null;
    let stopAt = 0;
    const rejected: string[] = [];
    const ingestMs: number[] = [];
    while (Date.now() - start < RUN_MS) {
      const elapsed = Date.now() - start;
      if (stopAt === 0 && elapsed >= STOP_AT_MS) {
        await server.stop();
        stopAt = Date.now();
      }
      if (stopAt > 0 && !outage && elapsed >= START_AT_MS) {
        await server.start();
        outage = [stopAt, Date.now()];
      }
      const events = queue;
      queue = [];
      const t = performance.now();
      rejected.push(...store.ingest(events).rejected.map((r) => r.reason));
      ingestMs.push(performance.now() - t);
      await sleep(1000 - ((Date.now() - start) % 1000));
    }
    await engine.stop();
    store.ingest(queue);
    // the status' lag is as of the last round: let a round start after the last ingest
    await sleep(2500);
    const deadline = Date.now() + 30_000;
    while (sync.status().lagSamples > 0 && Date.now() < deadline) await sleep(250);
    await sleep(1500);
    abort.abort();
    await following;
    await sync.close();

    expect(rejected).toEqual([]);
    // collection went on: no ingest waited on the sync or the dead server
    expect(Math.max(...ingestMs)).toBeLessThan(200);
    const [from, to] = outage ?? [0, 0];
    const local = store.db
      .prepare(
        `SELECT (SELECT count(*) FROM host_samples) AS host, (SELECT count(*) FROM vm_samples) AS vm,
                (SELECT count(*) FROM vm_samples WHERE ts >= ? AND ts < ?) AS vmInOutage`,
      )
      .get(from, to) as { host: number; vm: number; vmInOutage: number };
    const perVm = store.db
      .prepare(
        'SELECT v.uuid, count(*) AS n FROM vm_samples s JOIN vms v ON v.id = s.vm_id GROUP BY v.uuid',
      )
      .all() as { uuid: string; n: number }[];
    store.close();
    // 60 polls at 1 s: every bed domain sampled nearly every second, the outage included
    for (const d of bed.domains) {
      expect(perVm.find((r) => r.uuid === d.uuid)?.n ?? 0).toBeGreaterThanOrEqual(50);
    }
    expect(local.host).toBeGreaterThanOrEqual(50);
    expect(local.vmInOutage).toBeGreaterThanOrEqual(15 * bed.domains.length);

    const admin = await mysql.createConnection({
      host: '127.0.0.1',
      port: server.port,
      user: 'root',
    });
    const [[counts]] = (await admin.query(
      `SELECT (SELECT count(*) FROM setmov.t4_vm_usage) AS t4,
              (SELECT count(DISTINCT uuid, ts) FROM setmov.t4_vm_usage) AS t4keys,
              (SELECT count(*) FROM setmov.t4_vm_usage WHERE ts >= ? AND ts < ?) AS t4InOutage,
              (SELECT count(*) FROM setmov.t2_host_usage) AS t2,
              (SELECT count(DISTINCT host_ip, ts) FROM setmov.t2_host_usage) AS t2keys`,
      [mysqlDatetime(from), mysqlDatetime(to)],
    )) as unknown as [
      { t4: number; t4keys: number; t4InOutage: number; t2: number; t2keys: number }[],
    ];
    await admin.end();
    expect(counts).toEqual({
      t4: local.vm,
      t4keys: local.vm,
      t4InOutage: local.vmInOutage,
      t2: local.host,
      t2keys: local.host,
    });
    const outageErrors = statuses
      .filter((s) => s.lastError)
      .map((s) => (s.lastError?.code === 'mysql-error' ? s.lastError.message : s.lastError?.code));
    expect(outageErrors).toContain('connection-refused');
    expect(
      outageErrors.filter((c) => c !== 'connection-refused' && c !== 'connection-lost'),
    ).toEqual([]);
    expect(statuses.at(-1)).toMatchObject({ lagSamples: 0, lastError: null });
  }, 120_000);
});
