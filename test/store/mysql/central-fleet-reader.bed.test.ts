import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { expect, it } from 'vitest';
import { describeBed } from '../../helpers/bed';
import {
  CENTRAL_WHOLE_READ_EVERY_MS,
  CentralFleetReader,
} from '../../../src/store/mysql/central-fleet-reader';
import type { MysqlTarget } from '../../../src/store/mysql/mysql-target';
import mysql from 'mysql2/promise';
import { makeVersion2Database } from './version-2-database';
import { sharedMysql } from '../helpers/test-database';
import { makeRandom, makeVmSample, vmUuid } from '../sample-factory';
import { useSyncFixture } from './sync-fixture';

/** A loopback port nothing listens on: taken, then closed. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describeBed('the fleet read from the central database (real MariaDB)', () => {
  const fx = useSyncFixture();
  const suffix = randomBytes(4).toString('hex');
  const reader = `setmov_fleet_reader_${suffix}`;

  const target = (user = 'root', alsoAt: MysqlTarget['alsoAt'] = []): MysqlTarget => ({
    host: sharedMysql.host,
    port: sharedMysql.port,
    user,
    database: fx.testDb.name,
    alsoAt,
  });
  const newReader = (user = 'root', password = ''): CentralFleetReader =>
    new CentralFleetReader({ target: target(user), password, connectTimeoutMs: 3000 });

  /** A read-only account on the test's database, for `body`, dropped after it. */
  async function asReadOnlyUser(body: (user: string) => Promise<void>): Promise<void> {
    await fx.testDb.query(`CREATE USER '${reader}'@'127.0.0.1' IDENTIFIED BY 'reader-pw'`);
    try {
      await fx.testDb.query(`GRANT SELECT ON \`${fx.testDb.name}\`.* TO '${reader}'@'127.0.0.1'`);
      await body(reader);
    } finally {
      await fx.testDb.query(`DROP USER IF EXISTS '${reader}'@'127.0.0.1'`);
    }
  }

  it('reads every host and VM with its newest figures as a read-only user, then only what changed', async () => {
    fx.ingestSamples(4, 10);
    const sync = fx.newSync({ centralResolutionSec: 10 });
    await sync.init();
    await sync.syncOnce();
    await asReadOnlyUser(async (user) => {
      const fleet = new CentralFleetReader({
        target: target(user),
        password: 'reader-pw',
        connectTimeoutMs: 3000,
      });
      try {
        const first = await fleet.refresh();
        expect(first.rejected).toEqual([]);
        expect(first.hosts.changed).toHaveLength(1);
        expect(first.hosts.changed[0]).toMatchObject({
          hostKey: 'kvm-host-1',
          hostIp: '192.0.2.10',
          hostName: 'kvm-host-1',
          cpuCores: 8,
        });
        const newest = fx.store.db
          .prepare(
            `SELECT v.uuid, s.ts, s.cpu_host FROM vm_samples s JOIN vms v ON v.id = s.vm_id
             WHERE s.id IN (SELECT max(id) FROM vm_samples GROUP BY vm_id) ORDER BY v.uuid`,
          )
          .all() as { uuid: string; ts: number; cpu_host: number }[];
        const vms = [...first.vms.changed].sort((a, b) => a.uuid.localeCompare(b.uuid));
        expect(vms.map((v) => [v.uuid, v.latest?.tsMs, v.latest?.cpuPercent])).toEqual(
          newest.map((n) => [n.uuid, n.ts, n.cpu_host / 100]),
        );
        expect(vms.every((v) => v.hostKey === 'kvm-host-1' && v.state === 'running')).toBe(true);
        expect(first.node).toBe(`${sharedMysql.host}:${sharedMysql.port}`);

        // Nothing new: nothing changed.
        const again = await fleet.refresh();
        expect(again.hosts.changed).toEqual([]);
        expect(again.vms.changed).toEqual([]);

        // One VM has a new sample: that VM (and its host's latest figures) only.
        const ts = fx.t0 + 30_000;
        fx.store.ingest([{ type: 'vm-sample', sample: makeVmSample(2, ts, makeRandom(3)) }]);
        await sync.syncOnce();
        const next = await fleet.refresh();
        expect(next.vms.changed.map((v) => [v.uuid, v.latest?.tsMs])).toEqual([[vmUuid(2), ts]]);
        expect(next.vms.gone).toEqual([]);
        // New figures alone are set on the VM as first taken: whoever holds it sees them.
        const held = vms.find((v) => v.uuid === vmUuid(2));
        expect(next.vms.changed[0]).toBe(held);
        expect(held?.latest?.tsMs).toBe(ts);
      } finally {
        fleet.close();
      }
    });
  });

  it('reads the rows written since its last read, and both tables whole every CENTRAL_WHOLE_READ_EVERY_MS', async () => {
    fx.ingestSamples(3, 2);
    const sync = fx.newSync();
    await sync.init();
    await sync.syncOnce();
    let nowMs = Date.now();
    const fleet = new CentralFleetReader(
      { target: target(), password: '', connectTimeoutMs: 3000 },
      () => nowMs,
    );
    const conn = await mysql.createConnection({ ...sharedMysql, database: fx.testDb.name });
    try {
      const taken = (await fleet.refresh()).vms.changed;
      expect(taken).toHaveLength(3);
      // A row that reached this node late: written before the last read began, so a
      // read of the rows written since does not see it; and a row deleted.
      await conn.query(
        `UPDATE t3_vm SET name = 'late', updated_at = '2000-01-01 00:00:00' WHERE uuid = ?`,
        [vmUuid(1)],
      );
      await conn.query('DELETE FROM t4_vm_usage WHERE uuid = ?', [vmUuid(2)]);
      await conn.query('DELETE FROM t3_vm WHERE uuid = ?', [vmUuid(2)]);
      // A row written now is read at once.
      await conn.query(
        `UPDATE t3_vm SET state = 'paused', updated_at = UTC_TIMESTAMP(3) WHERE uuid = ?`,
        [vmUuid(0)],
      );
      nowMs += 2_000;
      const lately = await fleet.refresh();
      expect(lately.vms.changed.map((v) => [v.uuid, v.state])).toEqual([[vmUuid(0), 'paused']]);
      // Another state is a VM taken anew: the one held before still says what it was.
      const before = taken.find((v) => v.uuid === vmUuid(0));
      expect(lately.vms.changed[0]).not.toBe(before);
      expect(before?.state).toBe('running');
      expect(lately.vms.gone).toEqual([]);
      // The whole read finds both.
      nowMs += CENTRAL_WHOLE_READ_EVERY_MS;
      const whole = await fleet.refresh();
      expect(whole.vms.changed.map((v) => [v.uuid, v.name])).toEqual([[vmUuid(1), 'late']]);
      expect(whole.vms.gone).toEqual([vmUuid(2)]);
      expect(whole.hosts.gone).toEqual([]);
    } finally {
      await conn.end();
      fleet.close();
    }
  });

  it('takes hostile names as they are, a row without figures as having none, and leaves out a row that lies', async () => {
    fx.ingestSamples(1, 2);
    const sync = fx.newSync();
    await sync.init();
    await sync.syncOnce();
    const hostile = "x'); DROP TABLE t1_host; --\u202e<script>alert(1)</script> 한글 \u0007";
    const now = "'2026-12-07 10:00:00.000'";
    const conn = await mysql.createConnection({ ...sharedMysql, database: fx.testDb.name });
    try {
      await conn.execute(
        `INSERT INTO t3_vm (uuid, host_key, host_ip, name, state, connected_now, updated_at)
         VALUES ('${vmUuid(900)}', 'kvm-host-1', '192.0.2.10', ?, 'paused', 0, ${now}),
                ('${vmUuid(901)}', 'kvm-host-1', '192.0.2.10', 'liar', 'running', 0, ${now})`,
        [hostile],
      );
      await conn.query(
        `UPDATE t3_vm SET latest_ts = ${now}, latest_cpu = -3 WHERE uuid = '${vmUuid(901)}'`,
      );
    } finally {
      await conn.end();
    }
    const fleet = newReader();
    try {
      const read = await fleet.refresh();
      const byUuid = new Map(read.vms.changed.map((v) => [v.uuid, v]));
      expect(byUuid.get(vmUuid(900))).toMatchObject({
        name: hostile,
        state: 'paused',
        latest: null,
      });
      expect(byUuid.has(vmUuid(901))).toBe(false);
      expect(read.rejected).toEqual([
        { table: 't3_vm', key: vmUuid(901), reason: 'latest_cpu: out of range' },
      ]);
      expect(byUuid.size).toBe(2);
      // The tables are whole.
      expect(await fx.testDb.query('SELECT count(*) AS n FROM $db.t1_host')).toEqual([{ n: 1 }]);

      // New figures alone, as a sync round writes them: the liar's are good now and it is
      // taken whole; the hostile name's row gets a bad one and is left out, then back.
      const figures = async (uuid: string, cpu: number) =>
        fx.testDb.query(
          `UPDATE $db.t3_vm SET latest_ts = UTC_TIMESTAMP(3), latest_cpu = ${cpu},
             updated_at = UTC_TIMESTAMP(3) WHERE uuid = '${uuid}'`,
        );
      await figures(vmUuid(901), 50);
      await figures(vmUuid(900), -1);
      const fixed = await fleet.refresh();
      expect(fixed.vms.changed.map((v) => [v.uuid, v.name, v.latest?.cpuPercent])).toEqual([
        [vmUuid(901), 'liar', 50],
      ]);
      expect(fixed.vms.gone).toEqual([vmUuid(900)]);
      expect(fixed.rejected).toEqual([
        { table: 't3_vm', key: vmUuid(900), reason: 'latest_cpu: out of range' },
      ]);
      await figures(vmUuid(900), 7);
      const back = await fleet.refresh();
      expect(back.vms.changed).toMatchObject([
        { uuid: vmUuid(900), name: hostile, state: 'paused', latest: { cpuPercent: 7 } },
      ]);
      expect(back.rejected).toEqual([]);
    } finally {
      fleet.close();
    }
  });

  it('says in one line what is wrong with the database: no schema, an older one, no right to read, nothing there', async () => {
    const missing = newReader();
    await expect(missing.refresh()).rejects.toMatchObject({ code: 'schema-missing' });
    missing.close();

    // A version-2 database, as an older console or agent made it.
    const conn = await mysql.createConnection({ ...sharedMysql, database: fx.testDb.name });
    await makeVersion2Database(conn).finally(() => conn.end());
    const old = newReader();
    await expect(old.refresh()).rejects.toMatchObject({ code: 'schema-old' });
    old.close();

    await fx.testDb.query(`CREATE USER '${reader}'@'127.0.0.1' IDENTIFIED BY 'reader-pw'`);
    try {
      const denied = newReader(reader, 'reader-pw');
      await expect(denied.refresh()).rejects.toMatchObject({ code: 'auth-failed' });
      denied.close();
    } finally {
      await fx.testDb.query(`DROP USER IF EXISTS '${reader}'@'127.0.0.1'`);
    }

    const port = await closedPort();
    const nowhere = new CentralFleetReader({
      target: { ...target(), port },
      password: '',
      connectTimeoutMs: 3000,
    });
    await expect(nowhere.refresh()).rejects.toMatchObject({
      code: 'connection-refused',
      message: `MySQL 127.0.0.1:${port}: nothing listens there (connection refused)`,
    });
    nowhere.close();
  });

  it('moves on to the next node of a cluster target when the first does not answer', async () => {
    fx.ingestSamples(2, 2);
    const sync = fx.newSync();
    await sync.init();
    await sync.syncOnce();
    const port = await closedPort();
    const fleet = new CentralFleetReader({
      target: { ...target(), port, alsoAt: [{ host: sharedMysql.host, port: sharedMysql.port }] },
      password: '',
      connectTimeoutMs: 3000,
    });
    try {
      const read = await fleet.refresh();
      expect(read.node).toBe(`${sharedMysql.host}:${sharedMysql.port}`);
      expect(read.vms.changed).toHaveLength(2);
      expect(fleet.failovers).toBe(1);
    } finally {
      fleet.close();
    }
  });
});
