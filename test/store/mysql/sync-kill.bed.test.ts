import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeBed } from '../../helpers/bed';
import { MysqlSync } from '../../../src/store/mysql/mysql-sync';
import { Store } from '../../../src/store/store';
import type { StoreEvent } from '../../../src/store/store-events';
import { createTestDatabase } from '../helpers/test-database';
import { makeHostSample, makeRandom, makeVmSample } from '../sample-factory';
import { tempDir } from '../temp-db';

const bin = fileURLToPath(new URL('../../../bin/setmov.js', import.meta.url));
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * The syncing process dies with SIGKILL twice in the middle of its batches (a 12,600-row
 * backlog sent 200 rows per transaction, so a kill lands mid-batch), is restarted, and
 * in the end MySQL holds every sample exactly once.
 */
describeBed('setmov sync --follow killed with SIGKILL and restarted', () => {
  let testDb: Awaited<ReturnType<typeof createTestDatabase>>;
  const tmp = tempDir();
  beforeAll(async () => {
    testDb = await createTestDatabase();
  });
  afterAll(async () => {
    await testDb.drop();
    tmp.remove();
  });

  it('resumes from its watermark: no sample lost, none twice', async () => {
    const path = tmp.file('h.db');
    const store = Store.open({ path });
    const rand = makeRandom(21);
    const t0 = Date.now() - 3 * 3600_000;
    const backlog: StoreEvent[] = [];
    for (let k = 0; k < 600; k++) {
      backlog.push({ type: 'host-sample', sample: makeHostSample(t0 + k * 2000, rand) });
      for (let v = 0; v < 20; v++)
        backlog.push({ type: 'vm-sample', sample: makeVmSample(v, t0 + k * 2000, rand) });
    }
    for (let i = 0; i < backlog.length; i += 5000) store.ingest(backlog.slice(i, i + 5000));
    const url = `mysql://root@127.0.0.1:3306/${testDb.name}`;
    const init = new MysqlSync({
      dbPath: path,
      target: { host: '127.0.0.1', port: 3306, user: 'root', database: testDb.name },
      password: '',
    });
    await init.init();
    await init.close();
    expect(init.status().lagSamples).toBe(12_600);
    const waiting = (): number =>
      (
        store.db
          .prepare(
            `SELECT (SELECT count(*) FROM vm_samples WHERE id > coalesce((SELECT value FROM sync_watermarks WHERE target = ? AND stream = 'vm_samples'), 0))
                  + (SELECT count(*) FROM host_samples WHERE id > coalesce((SELECT value FROM sync_watermarks WHERE target = ? AND stream = 'host_samples'), 0)) AS n`,
          )
          .get(url, url) as { n: number }
      ).n;
    const start = (): ChildProcess =>
      spawn(
        process.execPath,
        [
          bin,
          'sync',
          '--follow',
          '--db',
          path,
          '--mysql',
          url,
          '--interval',
          '0.2',
          '--batch-rows',
          '200',
        ],
        {
          env: { ...process.env, SETMOV_MYSQL_PASSWORD: '' },
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
    let stopIngest = false;
    const ingesting = (async () => {
      while (!stopIngest) {
        const ts = Date.now();
        store.ingest([
          { type: 'host-sample', sample: makeHostSample(ts, rand) },
          ...Array.from({ length: 20 }, (_, v): StoreEvent => ({
            type: 'vm-sample',
            sample: makeVmSample(v, ts, rand),
          })),
        ]);
        await sleep(1000);
      }
    })();

    let kills = 0;
    for (let round = 0; round < 2; round++) {
      const before = waiting();
      const child = start();
      const exited = new Promise((resolve) => child.once('exit', resolve));
      const deadline = Date.now() + 60_000;
      // wait until this child has committed at least a few batches, then kill it mid-stream
      while (waiting() > before - 600 && Date.now() < deadline) await sleep(50);
      await sleep(30 + round * 70);
      child.kill('SIGKILL');
      await exited;
      kills++;
      expect(waiting()).toBeLessThan(before);
    }
    const last = start();
    let output = '';
    last.stdout?.on('data', (c: Buffer) => (output += c.toString()));
    const lastExit = new Promise((resolve) => last.once('exit', resolve));
    stopIngest = true;
    await ingesting;
    const deadline = Date.now() + 60_000;
    while (waiting() > 0 && Date.now() < deadline) await sleep(200);
    last.kill('SIGTERM');
    expect(await lastExit).toBe(0);
    expect(output).toContain('0 waiting');

    const local = store.db
      .prepare(
        'SELECT (SELECT count(*) FROM host_samples) AS host, (SELECT count(*) FROM vm_samples) AS vm',
      )
      .get() as { host: number; vm: number };
    store.close();
    const [counts] = (await testDb.query(
      `SELECT (SELECT count(*) FROM $db.t4_vm_usage) AS t4,
              (SELECT count(DISTINCT uuid, ts) FROM $db.t4_vm_usage) AS t4keys,
              (SELECT count(*) FROM $db.t2_host_usage) AS t2,
              (SELECT count(DISTINCT host_ip, ts) FROM $db.t2_host_usage) AS t2keys`,
    )) as { t4: number; t4keys: number; t2: number; t2keys: number }[];
    expect(kills).toBe(2);
    expect(local.vm).toBeGreaterThan(12_000);
    expect(counts).toEqual({ t4: local.vm, t4keys: local.vm, t2: local.host, t2keys: local.host });
  }, 170_000);
});
