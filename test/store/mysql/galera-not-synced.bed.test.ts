import { randomBytes } from 'node:crypto';
import { afterAll, expect, it } from 'vitest';
import {
  describeGalera,
  killNode,
  startNode,
  waitReady,
  withNode,
  wsrepStatus,
} from '../../helpers/galera';
import type { GaleraNode } from '../../helpers/galera';
import { until } from '../../helpers/agent-process';
import { MysqlSync } from '../../../src/store/mysql/mysql-sync';
import { parseMysqlUrl } from '../../../src/store/mysql/mysql-target';
import { Store } from '../../../src/store/store';
import { makeHostSample, makeRandom, makeVmSample } from '../sample-factory';
import { tempDir } from '../temp-db';

/**
 * A node that answers but is cut off from its cluster (isolated from the group, so it
 * is not primary: wsrep_ready=OFF): the sync does not write there. With another node in
 * the URL it moves on; with none it says why in one line and keeps every sample.
 */
describeGalera('a Galera node that answers but is not synced', (cluster) => {
  const database = `setmov_not_synced_${randomBytes(5).toString('hex')}`;
  const tmp = tempDir();
  const at = (node: GaleraNode): string => `${node.host}:${node.port}`;

  afterAll(async () => {
    const nodes = cluster();
    const node3 = nodes[2];
    await withNode(node3, (c) =>
      c.query("SET GLOBAL wsrep_provider_options = 'gmcast.isolate=0'"),
    ).catch(() => undefined);
    try {
      await waitReady(node3, 60_000, 3);
    } catch {
      // Not back by itself: start it again, as a joiner.
      await killNode(node3);
      await startNode(node3);
      await waitReady(node3, 180_000, 3);
    }
    await withNode(nodes[0], (c) => c.query(`DROP DATABASE IF EXISTS ${database}`));
    tmp.remove();
  }, 300_000);

  it('moves on to a synced node, or says why it waits, losing nothing', async () => {
    const [node1, node2, node3] = cluster();
    const store = Store.open({ path: tmp.file('h.db') });
    const rand = makeRandom(5);
    const t0 = Date.now() - 60_000;
    for (let k = 0; k < 10; k++) {
      store.ingest([
        { type: 'host-sample', sample: makeHostSample(t0 + k * 1000, rand) },
        { type: 'vm-sample', sample: makeVmSample(1, t0 + k * 1000, rand) },
      ]);
    }
    const url = (...order: GaleraNode[]): string =>
      `mysql://root@${order.map(at).join(',')}/${database}`;
    const init = new MysqlSync({
      dbPath: tmp.file('h.db'),
      target: parseMysqlUrl(url(node1)),
      password: '',
    });
    await init.init();
    await init.close();

    await withNode(node3, (c) => c.query("SET GLOBAL wsrep_provider_options = 'gmcast.isolate=1'"));
    await until(
      'node3 out of the primary component',
      async () => (await wsrepStatus(node3)).wsrep_ready === 'OFF',
      60_000,
    );

    // Only the cut-off node: refused with its state, every sample kept for later.
    const alone = new MysqlSync({
      dbPath: tmp.file('h.db'),
      target: parseMysqlUrl(url(node3)),
      password: '',
      connectTimeoutMs: 3000,
    });
    const refused = await alone.syncOnce().catch((e: unknown) => e);
    expect(refused).toMatchObject({
      code: 'node-not-ready',
      message: expect.stringMatching(
        /^MySQL 127\.0\.0\.1:4308: the cluster node is not synced \(wsrep_ready=OFF/,
      ),
    });
    expect(alone.status()).toMatchObject({
      state: 'error',
      lagSamples: 20,
      lastError: { code: 'node-not-ready' },
    });
    await alone.close();

    // The cut-off node first, a synced one next: it moves on and sends everything there.
    const onward = new MysqlSync({
      dbPath: tmp.file('h.db'),
      target: parseMysqlUrl(url(node3, node2)),
      password: '',
      connectTimeoutMs: 3000,
    });
    expect(await onward.syncOnce()).toBe(20);
    expect(onward.status()).toMatchObject({
      node: at(node2),
      failovers: 1,
      lagSamples: 0,
      lastError: null,
    });
    await onward.close();
    store.close();
  }, 180_000);
});
