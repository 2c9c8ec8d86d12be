import { afterAll, beforeAll, expect, it } from 'vitest';
import mysql from 'mysql2/promise';
import type { Connection } from 'mysql2/promise';
import { MysqlSync } from '../../../src/store/mysql/mysql-sync';
import { Store } from '../../../src/store/store';
import { describeBed } from '../../helpers/bed';
import { PrivateMariadb } from '../helpers/private-mariadb';
import { rawHost, rawSample, rawVm } from '../helpers/raw-rows';
import { vmUuid } from '../sample-factory';
import { tempDir } from '../temp-db';

/**
 * Names as a hostile or broken host can report them. The first one is SQL that, quoted
 * with backslash escapes and read by a server in NO_BACKSLASH_ESCAPES mode, ends the
 * name's string early and writes mysql.user's user names into t3_vm.state.
 */
const hostileNames = [
  "a', (SELECT group_concat(user) FROM mysql.user), NULL, 0, NULL, NULL, UTC_TIMESTAMP(3)) /*",
  "it's Bob's desktop",
  "back\\slash \\' \\\\ \\n \\0 \\Z",
  'nul\0in the middle\0',
  'cr\r\nlf\nand\ttab',
  'emoji 😀🖥️ and 한글 and combining é',
  '"double" quotes, `backticks`, %_ wildcards; -- and # comments',
  'trailing space ',
  // 255 characters, 256 UTF-16 units: the column's full width
  `${'w'.repeat(254)}😀`,
];
const hostileHost = 'host\'\\"\0 -- ';

/**
 * The sync against a server whose global sql_mode has NO_BACKSLASH_ESCAPES: every name
 * reads back exactly as sent, and nothing of another table lands in t3. The server is
 * the test's own (PrivateMariadb on a port of its own), started and removed here.
 */
describeBed('MySQL sync into a server running with NO_BACKSLASH_ESCAPES', () => {
  let server: PrivateMariadb;
  let admin: Connection;
  const tmp = tempDir();

  beforeAll(async () => {
    server = await PrivateMariadb.create({ sqlMode: 'NO_BACKSLASH_ESCAPES,STRICT_TRANS_TABLES' });
    admin = await mysql.createConnection({ host: '127.0.0.1', port: server.port, user: 'root' });
  }, 60_000);
  afterAll(async () => {
    await admin?.end();
    await server?.destroy();
    tmp.remove();
  });

  const cases = [
    ['on a plain host', 'kvm-host-1', 'setmov_plain'],
    ['on a host with a hostile name too', hostileHost, 'setmov_hostile'],
  ] as const;
  for (const [label, hostName, database] of cases) {
    it(`stores hostile VM names exactly, with no SQL of theirs run, ${label}`, async () => {
      const [[mode]] = (await admin.query('SELECT @@GLOBAL.sql_mode AS m')) as unknown as [
        { m: string }[],
      ];
      expect(mode?.m).toContain('NO_BACKSLASH_ESCAPES');
      await admin.query(`CREATE DATABASE ${database}`);

      const path = tmp.file(`${database}.db`);
      const store = Store.open({ path });
      const t0 = Date.now() - 600_000;
      const hostId = rawHost(store.db, hostName);
      rawSample(store.db, 'host_samples', hostId, t0, { cpu: 1234 });
      hostileNames.forEach((name, i) => {
        const vm = rawVm(store.db, {
          uuid: vmUuid(i),
          hostId,
          name,
          state: i === 0 ? "running'\\" : 'running',
          lastSeen: t0,
        });
        for (let k = 0; k < 3; k++)
          rawSample(store.db, 'vm_samples', vm, t0 + k * 2000, { cpu_host: 100 * i });
      });
      store.close();

      const sync = new MysqlSync({
        dbPath: path,
        target: { host: '127.0.0.1', port: server.port, user: 'root', database },
        password: '',
      });
      try {
        await sync.init();
        expect(await sync.syncOnce()).toBe(1 + 3 * hostileNames.length);
        expect(sync.status()).toMatchObject({ lagSamples: 0, lastError: null, parkedRows: 0 });
      } finally {
        await sync.close();
      }

      const [vms] = (await admin.query(
        `SELECT uuid, host_ip, name, state FROM ${database}.t3_vm ORDER BY uuid`,
      )) as unknown as [{ uuid: string; host_ip: string; name: string; state: string }[]];
      expect(vms).toEqual(
        hostileNames.map((name, i) => ({
          uuid: vmUuid(i),
          host_ip: hostName,
          name,
          state: i === 0 ? "running'\\" : 'running',
        })),
      );
      const [hosts] = (await admin.query(
        `SELECT host_ip, host_name FROM ${database}.t1_host`,
      )) as unknown as [{ host_ip: string; host_name: string }[]];
      expect(hosts).toEqual([{ host_ip: hostName, host_name: hostName }]);
      const [usage] = (await admin.query(
        `SELECT uuid, count(*) AS n, max(cpu) AS cpu FROM ${database}.t4_vm_usage GROUP BY uuid ORDER BY uuid`,
      )) as unknown as [{ uuid: string; n: number; cpu: number }[]];
      expect(usage).toEqual(hostileNames.map((_, i) => ({ uuid: vmUuid(i), n: 3, cpu: i })));
    }, 90_000);
  }
});
