import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import mysql from 'mysql2/promise';
import { HostSampler } from '../../../src/collector/host/host-sampler';
import { LocalHostSource } from '../../../src/collector/host/local-host-source';
import { MysqlSync } from '../../../src/store/mysql/mysql-sync';
import type { SyncStatus } from '../../../src/store/mysql/mysql-sync';
import { Store } from '../../../src/store/store';
import type { StoreEvent } from '../../../src/store/store-events';
import { PrivateMariadb } from '../helpers/private-mariadb';
import { makeRandom, makeVmSample } from '../sample-factory';
import { tempDir } from '../temp-db';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Zero loss, zero duplicates across a MySQL outage: 60 s of samples at a 1 s cadence
 * (this machine's real /proc through the collector's HostSampler, plus four VMs),
 * with the server stopped from 20 s to 40 s. A server of the test's own, so stopping
 * it disturbs no one.
 */
describe('MySQL sync across a 20 s server outage', () => {
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
    const store = Store.open({ path: tmp.file('h.db') });
    const source = new LocalHostSource();
    const sampler = new HostSampler(source, await source.identity());
    const sync = new MysqlSync({
      dbPath: tmp.file('h.db'),
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
    const rand = makeRandom(11);
    const start = Date.now();
    let stopped = false;
    let restarted = false;
    let ticks = 0;
    while (Date.now() - start < 60_000) {
      const elapsed = Date.now() - start;
      if (!stopped && elapsed >= 20_000) {
        stopped = true;
        await server.stop();
      }
      if (!restarted && elapsed >= 40_000) {
        restarted = true;
        await server.start();
      }
      const events: StoreEvent[] = [];
      const host = await sampler.next();
      if (host) events.push({ type: 'host-sample', sample: host });
      for (let v = 0; v < 4; v++)
        events.push({
          type: 'vm-sample',
          sample: makeVmSample(v, Date.now(), rand, host?.host ?? 'local'),
        });
      const t = performance.now();
      store.ingest(events);
      expect(performance.now() - t).toBeLessThan(200);
      ticks++;
      await sleep(1000 - ((Date.now() - start) % 1000));
    }
    // the status' lag is as of the last round: let a round start after the last ingest
    await sleep(2500);
    const deadline = Date.now() + 20_000;
    while (sync.status().lagSamples > 0 && Date.now() < deadline) await sleep(250);
    await sleep(1500);
    abort.abort();
    await following;
    await sync.close();

    const local = store.db
      .prepare(
        'SELECT (SELECT count(*) FROM host_samples) AS host, (SELECT count(*) FROM vm_samples) AS vm',
      )
      .get() as { host: number; vm: number };
    store.close();
    expect(ticks).toBeGreaterThanOrEqual(50);
    expect(local.vm).toBe(ticks * 4);
    expect(local.host).toBe(ticks - 1);
    const admin = await mysql.createConnection({
      host: '127.0.0.1',
      port: server.port,
      user: 'root',
    });
    const [[counts]] = (await admin.query(
      `SELECT (SELECT count(*) FROM setmov.t4_vm_usage) AS t4,
              (SELECT count(DISTINCT uuid, ts) FROM setmov.t4_vm_usage) AS t4keys,
              (SELECT count(*) FROM setmov.t2_host_usage) AS t2,
              (SELECT count(DISTINCT host_ip, ts) FROM setmov.t2_host_usage) AS t2keys`,
    )) as unknown as [{ t4: number; t4keys: number; t2: number; t2keys: number }[]];
    await admin.end();
    expect(counts).toEqual({ t4: local.vm, t4keys: local.vm, t2: local.host, t2keys: local.host });
    const outageErrors = statuses
      .filter((s) => s.lastError)
      .map((s) => (s.lastError?.code === 'mysql-error' ? s.lastError.message : s.lastError?.code));
    expect(outageErrors.length).toBeGreaterThan(0);
    expect(outageErrors).toContain('connection-refused');
    expect(
      outageErrors.filter((c) => c !== 'connection-refused' && c !== 'connection-lost'),
    ).toEqual([]);
    expect(statuses.at(-1)).toMatchObject({ lagSamples: 0, lastError: null });
  }, 110_000);
});
