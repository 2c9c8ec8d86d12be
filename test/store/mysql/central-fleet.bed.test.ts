import { randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';
import { expect, it } from 'vitest';
import { describeBed } from '../../helpers/bed';
import { SyncError } from '../../../src/store/mysql/sync-error';
import { mysqlDatetime } from '../../../src/store/mysql/outbox';
import { sharedMysql } from '../helpers/test-database';
import { makeVersion2Database } from './version-2-database';
import { makeRandom, makeVmSample, vmUuid } from '../sample-factory';
import { Store } from '../../../src/store/store';
import { useSyncFixture } from './sync-fixture';
import { latestMysqlVersion } from '../../../src/store/mysql/mysql-migrations';
import { ENTITY_ROWS_PER_STATEMENT } from '../../../src/store/mysql/upsert-sql';

const DAY_MS = 86_400_000;

describeBed('the central tables for a fleet (real MariaDB)', () => {
  const fx = useSyncFixture();
  const rows = async <T>(sql: string): Promise<T[]> => (await fx.testDb.query(sql)) as T[];

  it.each([0, 10])(
    'at resolution %i s, t1/t3 carry the newest sample of each host and VM and the host identity',
    async (resolutionSec) => {
      // More VMs than one t3 statement holds (ENTITY_ROWS_PER_STATEMENT), and a remainder.
      fx.ingestSamples(ENTITY_ROWS_PER_STATEMENT + 10, 30);
      const sync = fx.newSync({ centralResolutionSec: resolutionSec });
      await sync.init();
      await sync.syncOnce();
      const newest = fx.store.db
        .prepare(
          `SELECT v.uuid, s.ts, s.cpu_host FROM vm_samples s JOIN vms v ON v.id = s.vm_id
           WHERE s.id IN (SELECT max(id) FROM vm_samples GROUP BY vm_id) ORDER BY v.uuid`,
        )
        .all() as { uuid: string; ts: number; cpu_host: number }[];
      const t3 = await rows<{
        uuid: string;
        latest_ts: string;
        latest_cpu: number;
        host_key: string;
      }>('SELECT uuid, latest_ts, latest_cpu, host_key FROM $db.t3_vm ORDER BY uuid');
      expect(t3.map((r) => [r.uuid, r.latest_ts, r.latest_cpu])).toEqual(
        newest.map((n) => [n.uuid, new Date(n.ts), n.cpu_host / 100]),
      );
      expect(new Set(t3.map((r) => r.host_key))).toEqual(new Set(['kvm-host-1']));
      const t1 = await rows<{ latest_ts: Date; host_key: string }>(
        'SELECT latest_ts, host_key FROM $db.t1_host',
      );
      expect(t1).toEqual([{ latest_ts: new Date(newest[0]!.ts), host_key: 'kvm-host-1' }]);
    },
  );

  it('keeps 10-second averages of closed buckets: one row per VM and bucket, the mean of its samples', async () => {
    fx.ingestSamples(4, 60);
    const sync = fx.newSync({ centralResolutionSec: 10 });
    await sync.init();
    await sync.syncOnce();
    // Every bucket of the history is closed (it is an hour old): each one's mean, to the hundredth.
    const local = fx.store.db
      .prepare(
        `SELECT v.uuid, ((s.ts + 9999) / 10000) * 10000 AS bucket, round(avg(s.cpu_host)) / 100.0 AS cpu
         FROM vm_samples s JOIN vms v ON v.id = s.vm_id GROUP BY v.uuid, bucket ORDER BY v.uuid, bucket`,
      )
      .all() as { uuid: string; bucket: number; cpu: number }[];
    const central = await rows<{ uuid: string; ts: Date; cpu: number }>(
      'SELECT uuid, ts, cpu FROM $db.t4_vm_usage ORDER BY uuid, ts',
    );
    expect(central.map((r) => [r.uuid, r.ts, r.cpu])).toEqual(
      local.map((r) => [r.uuid, new Date(r.bucket), r.cpu]),
    );
    // 60 samples 2 s apart: 120 s, 12 or 13 buckets per VM, five times fewer rows.
    expect(central.length).toBeLessThanOrEqual(4 * 13);
    expect(sync.status()).toMatchObject({ lagSamples: 0, lastError: null });
  });

  it('prunes its own usage rows past the central retention, in small statements, and no one else’s', async () => {
    const rand = makeRandom(9);
    const now = Date.now();
    const old = [100, 99].map((d) => now - d * DAY_MS);
    fx.store.ingest(
      [...old, now - 1000].flatMap((ts) =>
        [1, 2].map((i) => ({ type: 'vm-sample' as const, sample: makeVmSample(i, ts, rand) })),
      ),
    );
    const sync = fx.newSync({ centralRetentionDays: 30 });
    await sync.init();
    // Another agent's VM, with a row as old: not this sync's to prune.
    await fx.testDb.query(
      `INSERT INTO $db.t1_host (host_key, host_ip, host_name, vmc, updated_at) VALUES ('other-agent-host', '198.51.100.7', 'other', 1, UTC_TIMESTAMP(3))`,
    );
    await fx.testDb.query(
      `INSERT INTO $db.t3_vm (uuid, host_key, host_ip, name, state, updated_at) VALUES ('${vmUuid(99)}', 'other-agent-host', '198.51.100.7', 'x', 'running', UTC_TIMESTAMP(3))`,
    );
    await fx.testDb.query(
      `INSERT INTO $db.t4_vm_usage (uuid, ts) VALUES ('${vmUuid(99)}', '${mysqlDatetime(old[0]!)}')`,
    );
    await sync.syncOnce();
    const left = await rows<{ uuid: string; ts: string }>(
      'SELECT uuid, ts FROM $db.t4_vm_usage ORDER BY uuid, ts',
    );
    expect(left.map((r) => r.uuid)).toEqual([vmUuid(1), vmUuid(2), vmUuid(99)]);
    expect(sync.status().prunedRows).toBe(4);
  });

  it('least privilege: the agent writes rows and no DDL; the reader reads and writes nothing', async () => {
    fx.ingestSamples(2, 5);
    await fx.newSync().init();
    const suffix = randomBytes(4).toString('hex');
    const agent = `setmov_agent_${suffix}`;
    const reader = `setmov_reader_${suffix}`;
    const db = fx.testDb.name;
    await fx.testDb.query(`CREATE USER '${agent}'@'127.0.0.1' IDENTIFIED BY 'agent-pw'`);
    await fx.testDb.query(`CREATE USER '${reader}'@'127.0.0.1' IDENTIFIED BY 'reader-pw'`);
    try {
      // The grants docs/central-schema.md gives.
      await fx.testDb.query(
        `GRANT SELECT, INSERT, UPDATE, DELETE ON \`${db}\`.* TO '${agent}'@'127.0.0.1'`,
      );
      await fx.testDb.query(`GRANT SELECT ON \`${db}\`.* TO '${reader}'@'127.0.0.1'`);
      const asAgent = fx.newSync({
        target: { host: sharedMysql.host, port: sharedMysql.port, user: agent, database: db },
        password: 'agent-pw',
        centralRetentionDays: 30,
      });
      expect(await asAgent.syncOnce()).toBe(5 + 2 * 5);
      const agentConn = await mysql.createConnection({
        ...sharedMysql,
        user: agent,
        password: 'agent-pw',
        database: db,
      });
      const readerConn = await mysql.createConnection({
        ...sharedMysql,
        user: reader,
        password: 'reader-pw',
        database: db,
      });
      try {
        await expect(agentConn.query('CREATE TABLE t5 (a INT PRIMARY KEY)')).rejects.toMatchObject({
          code: 'ER_TABLEACCESS_DENIED_ERROR',
        });
        await expect(agentConn.query('DROP TABLE t4_vm_usage')).rejects.toMatchObject({
          code: 'ER_TABLEACCESS_DENIED_ERROR',
        });
        const [read] = await readerConn.query('SELECT count(*) AS n FROM t4_vm_usage');
        expect(Number((read as { n: number }[])[0]?.n)).toBe(10);
        for (const write of [
          "UPDATE t3_vm SET name = 'x'",
          'DELETE FROM t4_vm_usage',
          "INSERT INTO t1_host (host_key, host_ip, host_name, vmc, updated_at) VALUES ('k', 'a', 'b', 0, UTC_TIMESTAMP(3))",
        ]) {
          await expect(readerConn.query(write)).rejects.toMatchObject({
            code: 'ER_TABLEACCESS_DENIED_ERROR',
          });
        }
        // A sync as the reader says what is wrong in one line.
        const asReader = fx.newSync({
          target: { host: sharedMysql.host, port: sharedMysql.port, user: reader, database: db },
          password: 'reader-pw',
        });
        fx.ingestSamples(2, 6, 3);
        const refused = await asReader.syncOnce().catch((e: unknown) => e);
        expect(refused).toBeInstanceOf(SyncError);
        expect(refused).toMatchObject({
          code: 'not-permitted',
          message: expect.stringMatching(/not permitted/),
        });
      } finally {
        await agentConn.end();
        await readerConn.end();
      }
    } finally {
      await fx.testDb.query(`DROP USER IF EXISTS '${agent}'@'127.0.0.1', '${reader}'@'127.0.0.1'`);
    }
  });

  it('upgrades a version-2 database in place: the rows before are keyed by the address they had', async () => {
    const conn = await mysql.createConnection({ ...sharedMysql, database: fx.testDb.name });
    try {
      await makeVersion2Database(conn);
      const ts = mysqlDatetime(fx.t0);
      await conn.query(
        `INSERT INTO t1_host (host_ip, host_name, vmc, updated_at) VALUES ('192.0.2.99', 'old-host', 1, '${ts}')`,
      );
      await conn.query(
        `INSERT INTO t2_host_usage (host_ip, ts, cpu) VALUES ('192.0.2.99', '${ts}', 12.5)`,
      );
      await conn.query(
        `INSERT INTO t3_vm (uuid, host_ip, name, state, updated_at) VALUES ('${vmUuid(50)}', '192.0.2.99', 'old-vm', 'running', '${ts}')`,
      );
      await conn.query(
        `INSERT INTO t4_vm_usage (uuid, ts, cpu) VALUES ('${vmUuid(50)}', '${ts}', 3.5)`,
      );

      const sync = fx.newSync();
      expect(await sync.init()).toEqual([2, latestMysqlVersion]);
      expect(await sync.init()).toEqual([latestMysqlVersion, latestMysqlVersion]);
      const keys = await rows<{ t: string; host_key: string }>(
        `SELECT 't1' AS t, host_key FROM $db.t1_host UNION ALL SELECT 't2', host_key FROM $db.t2_host_usage
         UNION ALL SELECT 't3', host_key FROM $db.t3_vm`,
      );
      expect(keys).toEqual([
        { t: 't1', host_key: '192.0.2.99' },
        { t: 't2', host_key: '192.0.2.99' },
        { t: 't3', host_key: '192.0.2.99' },
      ]);
      const [created] = await conn.query('SHOW CREATE TABLE t2_host_usage');
      const ddl = String((created as Record<string, string>[])[0]?.['Create Table']);
      expect(ddl).toMatch(/PRIMARY KEY \(`host_key`,`ts`\)/);
      expect(ddl).toMatch(/FOREIGN KEY \(`host_key`\) REFERENCES `t1_host` \(`host_key`\)/);
      // And it takes new hosts, keyed by identity, beside the old one.
      fx.ingestSamples(2, 3);
      expect(await sync.syncOnce()).toBe(3 + 2 * 3);
      const hosts = await rows<{ host_key: string }>('SELECT host_key FROM $db.t1_host ORDER BY 1');
      expect(hosts.map((h) => h.host_key)).toEqual(['192.0.2.99', 'kvm-host-1']);
    } finally {
      await conn.end();
    }
  });

  it.each([
    ['the old host first', ['old', 'new']],
    ['the new host first', ['new', 'old']],
  ] as const)(
    'a VM two agents saw (it migrated) converges on its newer view, %s',
    async (_order, order) => {
      const rand = makeRandom(11);
      // Seen on host-old until 20 s ago, then on host-new: two histories, two syncs.
      const start = Date.now() - 60_000;
      const stores = {
        old: Store.open({ path: fx.tmp.file('old.db') }),
        new: Store.open({ path: fx.tmp.file('new.db') }),
      };
      for (let k = 0; k < 10; k++) {
        stores.old.ingest([
          { type: 'vm-sample', sample: makeVmSample(7, start + k * 1000, rand, 'host-old') },
        ]);
        const moved = makeVmSample(7, start + 30_000 + k * 1000, rand, 'host-new');
        stores.new.ingest([{ type: 'vm-sample', sample: { ...moved, name: 'desktop-7 (moved)' } }]);
      }
      for (const store of Object.values(stores)) store.close();
      await fx.newSync().init();
      for (const which of order) {
        await fx.newSync({ dbPath: fx.tmp.file(`${which}.db`) }).syncOnce();
      }
      const [vm] = await rows<{ host_key: string; name: string; latest_ts: Date; last_seen: Date }>(
        `SELECT host_key, name, latest_ts, last_seen FROM $db.t3_vm WHERE uuid = '${vmUuid(7)}'`,
      );
      expect(vm).toEqual({
        host_key: 'host-new',
        name: 'desktop-7 (moved)',
        latest_ts: new Date(start + 39_000),
        last_seen: expect.any(Date) as Date,
      });
      // Both histories' samples are there, each once.
      const [usage] = await rows<{ n: number }>(
        `SELECT count(*) AS n FROM $db.t4_vm_usage WHERE uuid = '${vmUuid(7)}'`,
      );
      expect(Number(usage?.n)).toBe(20);
    },
  );
});
