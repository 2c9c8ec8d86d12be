import { randomBytes } from 'node:crypto';
import type mysql from 'mysql2/promise';
import { afterAll, expect, it } from 'vitest';
import { describeGalera, withNode } from '../../helpers/galera';
import type { GaleraNode } from '../../helpers/galera';
import { MysqlSync } from '../../../src/store/mysql/mysql-sync';
import { parseMysqlUrl } from '../../../src/store/mysql/mysql-target';
import { Store } from '../../../src/store/store';
import type { StoreEvent } from '../../../src/store/store-events';
import { makeHostSample, makeRandom, makeVmSample } from '../sample-factory';
import { tempDir } from '../temp-db';

const VMS = 20;
const POLLS = 150;

/**
 * Two writers on the same rows through two nodes of the cluster: two histories that hold
 * the same samples (one VM seen by two agents, or two consoles on one host), sent at once
 * in small batches to node2 and node3. Galera certifies the first writeset of each pair
 * and refuses the other (1213); the loser sends its batch again, whole. In the end the
 * tables hold each sample once, as it was, on every node.
 */
describeGalera('two writers on the same rows of the Galera cluster', (cluster) => {
  const database = `setmov_conflict_${randomBytes(5).toString('hex')}`;
  const tmp = tempDir();
  const syncs: MysqlSync[] = [];

  const urlFrom = (first: GaleraNode, second: GaleraNode): string =>
    `mysql://root@${first.host}:${first.port},${second.host}:${second.port}/${database}`;

  afterAll(async () => {
    for (const sync of syncs) await sync.close();
    await withNode(cluster()[0], (conn) => conn.query(`DROP DATABASE IF EXISTS ${database}`));
    tmp.remove();
  });

  /** A history of VMS VMs polled POLLS times from t0, the same for the same seed and t0. */
  function history(file: string, t0: number): Store {
    const store = Store.open({ path: tmp.file(file) });
    const rand = makeRandom(42);
    const events: StoreEvent[] = [];
    for (let k = 0; k < POLLS; k++) {
      events.push({ type: 'host-sample', sample: makeHostSample(t0 + k * 1000, rand) });
      for (let v = 0; v < VMS; v++)
        events.push({ type: 'vm-sample', sample: makeVmSample(v, t0 + k * 1000, rand) });
    }
    store.ingest(events);
    return store;
  }

  it('refuses one of each pair of colliding batches; the loser resends it; each row once', async () => {
    const nodes = cluster();
    const [, node2, node3] = nodes;
    const init = new MysqlSync({
      dbPath: tmp.file('init.db'),
      target: parseMysqlUrl(urlFrom(node2, node3)),
      password: '',
    });
    syncs.push(init);
    await init.init();

    let retries = 0;
    const stores: Store[] = [];
    // Collisions are a race: a few rounds of fresh samples make one all but certain.
    for (let round = 0; round < 6 && retries === 0; round++) {
      const t0 = Date.now() - 3_600_000 + round * POLLS * 1000;
      const pair = [history(`a${round}.db`, t0), history(`b${round}.db`, t0)];
      stores.push(...pair);
      const writers = [urlFrom(node2, node3), urlFrom(node3, node2)].map((url, i) => {
        const sync = new MysqlSync({
          dbPath: tmp.file(`${i === 0 ? 'a' : 'b'}${round}.db`),
          target: parseMysqlUrl(url),
          password: '',
          batchRows: 40,
        });
        syncs.push(sync);
        return sync;
      });
      await Promise.all(writers.map((w) => w.syncOnce()));
      for (const w of writers) {
        // Each writer took all of its history: rows refused are sent again, never dropped,
        // and a batch committed before a refusal is counted once.
        expect(w.status()).toMatchObject({
          sentRows: POLLS * (VMS + 1),
          lagSamples: 0,
          lastError: null,
          parkedRows: 0,
        });
        retries += w.status().conflictRetries;
      }
    }
    expect(retries).toBeGreaterThan(0);

    // Every node: each sample once, with its figures (cpu in hundredths), nothing more.
    const local = new Map<string, number>();
    for (const store of stores.filter((_, i) => i % 2 === 0)) {
      const rows = store.db
        .prepare('SELECT v.uuid, s.ts, s.cpu_host FROM vm_samples s JOIN vms v ON v.id = s.vm_id')
        .all() as { uuid: string; ts: number; cpu_host: number }[];
      for (const r of rows) local.set(`${r.uuid}|${r.ts}`, r.cpu_host);
    }
    for (const node of nodes) {
      const central = await withNode(node, async (conn) => {
        await conn.query('SET SESSION wsrep_sync_wait = 1');
        const [rows] = await conn.query<mysql.RowDataPacket[]>(
          `SELECT uuid, TIMESTAMPDIFF(MICROSECOND, '1970-01-01 00:00:00', ts) DIV 1000 AS ts,
               round(cpu * 100) AS cpu FROM ${database}.t4_vm_usage`,
        );
        return new Map(rows.map((r) => [`${String(r.uuid)}|${Number(r.ts)}`, Number(r.cpu)]));
      });
      expect({ node: node.name, rows: central.size }).toEqual({
        node: node.name,
        rows: local.size,
      });
      const wrong = [...local].filter(([k, cpu]) => central.get(k) !== cpu);
      expect(wrong).toEqual([]);
    }
    for (const store of stores) store.close();
  }, 300_000);
});
