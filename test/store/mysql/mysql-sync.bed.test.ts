import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { AddressInfo, Server, Socket } from 'node:net';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeBed } from '../../helpers/bed';
import { main } from '../../../src/cli/main';
import type { MysqlSyncOptions } from '../../../src/store/mysql/mysql-sync';
import { makeRandom, makeVmSample, vmUuid } from '../sample-factory';
import { useSyncFixture } from './sync-fixture';
import { latestMysqlVersion } from '../../../src/store/mysql/mysql-migrations';
import { recordAudit } from '../../../src/store/audit-log';

async function listen(onConnect: (socket: Socket) => void): Promise<Server> {
  const server = createServer(onConnect);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

const portOf = (s: Server): number => (s.address() as AddressInfo).port;

/** Never parsed: the local MariaDB has no TLS, so the handshake stops before the CA is used. */
const selfSignedLookingPem = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';

describeBed('MySQL sync (real local MariaDB)', () => {
  const fx = useSyncFixture();
  const { t0, newSync, ingestSamples } = fx;

  const count = async (table: string): Promise<number> =>
    Number(
      ((await fx.testDb.query(`SELECT count(*) AS n FROM $db.${table}`))[0] as { n: number }).n,
    );

  it('creates the schema with --init semantics, idempotently, with a version row', async () => {
    const sync = newSync();
    expect(await sync.init()).toEqual([0, latestMysqlVersion]);
    expect(await sync.init()).toEqual([latestMysqlVersion, latestMysqlVersion]);
    const tables = (await fx.testDb.query(
      "SELECT table_name AS t FROM information_schema.tables WHERE table_schema = '$db' ORDER BY 1",
    )) as { t: string }[];
    expect(tables.map((r) => r.t)).toEqual([
      'setmov_audit',
      'setmov_schema_version',
      't1_host',
      't2_host_usage',
      't3_vm',
      't4_vm_usage',
    ]);
    const comment = (await fx.testDb.query(
      "SELECT column_comment AS c FROM information_schema.columns WHERE table_schema = '$db' AND table_name = 't4_vm_usage' AND column_name = 'disk'",
    )) as { c: string }[];
    expect(comment[0]?.c).toMatch(/bytes\/s, read \+ write/);
    // A console's refresh reads t1/t3 by the time a row was written (migration 004).
    const keys = (await fx.testDb.query(
      "SELECT table_name AS t, index_name AS i FROM information_schema.statistics WHERE table_schema = '$db' AND column_name = 'updated_at' ORDER BY 1",
    )) as { t: string; i: string }[];
    expect(keys).toEqual([
      { t: 't1_host', i: 't1_host_updated_at' },
      { t: 't3_vm', i: 't3_vm_updated_at' },
    ]);
  });

  it('refuses to sync into a database without the schema: schema-missing in the status', async () => {
    ingestSamples(2, 5);
    const sync = newSync();
    await expect(sync.syncOnce()).rejects.toMatchObject({ code: 'schema-missing' });
    expect(sync.status()).toMatchObject({
      state: 'error',
      lagSamples: 15,
      lastError: { code: 'schema-missing' },
    });
  });

  it('sends every sample once with the documented units, and resending changes nothing', async () => {
    ingestSamples(5, 300);
    const sync = newSync({ batchRows: 400, rowsPerStatement: 150 });
    await sync.init();
    expect(sync.status().lagSamples).toBe(1800);
    expect(await sync.syncOnce()).toBe(1800);
    expect(sync.status()).toMatchObject({ state: 'idle', lagSamples: 0, lastError: null });
    expect(sync.status().lastSuccessAt).toBeGreaterThan(0);
    expect(await count('t4_vm_usage')).toBe(1500);
    expect(await count('t2_host_usage')).toBe(300);
    const [t1] = (await fx.testDb.query('SELECT * FROM $db.t1_host')) as Record<string, unknown>[];
    expect(t1).toMatchObject({
      host_ip: '192.0.2.10',
      host_name: 'kvm-host-1',
      vmc: 4,
      cpu_cores: 8,
    });
    const local = fx.store.db
      .prepare(
        'SELECT s.* FROM vm_samples s JOIN vms v ON v.id = s.vm_id WHERE v.uuid = ? ORDER BY ts LIMIT 1',
      )
      .get(vmUuid(3)) as Record<string, number>;
    const [row] = (await fx.testDb.query(
      `SELECT * FROM $db.t4_vm_usage WHERE uuid = '${vmUuid(3)}' ORDER BY ts LIMIT 1`,
    )) as Record<string, number>[];
    expect(row?.cpu).toBeCloseTo((local.cpu_host ?? 0) / 100, 6);
    expect(row?.memory).toBeCloseTo((100 * (local.mem_used ?? 0)) / (local.mem_total ?? 1), 6);
    expect(row?.disk).toBe((local.disk_rd ?? 0) + (local.disk_wr ?? 0));
    expect(row?.network).toBe((local.net_rx ?? 0) + (local.net_tx ?? 0));
    expect(row?.mem_rss_bytes).toBe((local.mem_rss ?? 0) * 1024);

    // a crash after the MySQL commit but before the watermark moved: everything again
    fx.store.db.exec('DELETE FROM sync_watermarks');
    const again = newSync();
    expect(await again.syncOnce()).toBe(1800);
    expect(await count('t4_vm_usage')).toBe(1500);
    const dupes = await fx.testDb.query(
      'SELECT uuid, ts, count(*) AS n FROM $db.t4_vm_usage GROUP BY uuid, ts HAVING n > 1',
    );
    expect(dupes).toEqual([]);
  });

  it('says between rounds what came in since the last one, not the "nothing waits" of its end', async () => {
    ingestSamples(2, 5);
    const sync = newSync();
    await sync.init();
    await sync.syncOnce();
    expect(sync.status()).toMatchObject({ lagSamples: 0, oldestPendingAt: null });
    const ts = t0 + 60_000;
    fx.store.ingest([{ type: 'vm-sample', sample: makeVmSample(1, ts, makeRandom(5)) }]);
    expect(sync.status().oldestPendingAt).toBe(ts);
    await sync.syncOnce();
    expect(sync.status()).toMatchObject({ lagSamples: 0, oldestPendingAt: null });
  });

  it('sends the audit log once, each entry as it was, after the samples', async () => {
    ingestSamples(1, 3);
    const sync = newSync();
    await sync.init();
    const entry = {
      ts: t0 + 5000,
      actor: 'admin@console',
      host: 'kvm-host-1',
      vmUuid: vmUuid(1),
      vmName: "desk 'one'; DROP TABLE t3_vm; --",
      change: 'memory' as const,
      recommendation: `${vmUuid(1)}:less-memory`,
      before: 8 * 1024 ** 3,
      after: 6 * 1024 ** 3,
      scope: 'live+config' as const,
      result: 'partial' as const,
      detail: 'live: balloon refused',
    };
    recordAudit(fx.store, entry);
    recordAudit(fx.store, {
      ...entry,
      ts: t0 + 6000,
      change: 'vcpus',
      before: 4,
      after: 2,
      result: 'applied',
      detail: null,
    });
    await sync.syncOnce();
    const rows = (await fx.testDb.query(
      'SELECT uuid, change_kind, vm_name, actor, before_value, after_value, scope, result, detail FROM $db.setmov_audit ORDER BY ts',
    )) as Record<string, unknown>[];
    expect(rows).toEqual([
      {
        uuid: vmUuid(1),
        change_kind: 'memory',
        vm_name: entry.vmName,
        actor: 'admin@console',
        before_value: 8 * 1024 ** 3,
        after_value: 6 * 1024 ** 3,
        scope: 'live+config',
        result: 'partial',
        detail: 'live: balloon refused',
      },
      expect.objectContaining({
        change_kind: 'vcpus',
        before_value: 4,
        after_value: 2,
        detail: null,
      }),
    ]);
    expect(await count('t3_vm')).toBe(1);
    // A later entry goes alone; a resend from scratch changes nothing.
    recordAudit(fx.store, { ...entry, ts: t0 + 7000 });
    await sync.syncOnce();
    fx.store.db.exec("DELETE FROM sync_watermarks WHERE stream = 'audit'");
    await newSync().syncOnce();
    expect(await count('setmov_audit')).toBe(3);
  });

  it('keeps t3 state and lct current and moves lct only forward', async () => {
    ingestSamples(2, 3);
    const sync = newSync();
    await sync.init();
    await sync.syncOnce();
    const lct = t0 + 3_000_000;
    fx.store.ingest([
      {
        type: 'vm-event',
        uuid: vmUuid(1),
        ts: lct,
        kind: 'display-connect',
        detail: '198.51.100.7',
      },
      {
        type: 'vm-inventory',
        host: 'kvm-host-1',
        uuid: vmUuid(1),
        name: 'desktop-1',
        state: 'shutoff',
        ts: lct + 1000,
      },
    ]);
    expect(await sync.syncOnce()).toBe(0);
    const [vm] = (await fx.testDb.query(
      `SELECT state, lct, connected_now FROM $db.t3_vm WHERE uuid = '${vmUuid(1)}'`,
    )) as { state: string; lct: Date; connected_now: number }[];
    expect(vm?.state).toBe('shutoff');
    expect(vm?.connected_now).toBe(1);
    expect(new Date(vm?.lct ?? 0).getTime()).toBe(lct);
    fx.store.ingest([
      {
        type: 'vm-event',
        uuid: vmUuid(1),
        ts: lct + 5000,
        kind: 'display-disconnect',
        detail: null,
      },
    ]);
    await sync.syncOnce();
    const [after] = (await fx.testDb.query(
      `SELECT lct, connected_now FROM $db.t3_vm WHERE uuid = '${vmUuid(1)}'`,
    )) as { lct: Date; connected_now: number }[];
    expect(after?.connected_now).toBe(0);
    expect(new Date(after?.lct ?? 0).getTime()).toBe(lct);
  });

  describe('bad targets give a typed error in the status while ingest goes on', () => {
    let garbage: Server;
    let silent: Server;
    let closedPort: number;
    let caFile = '';
    const sharedMysqlTarget = (): {
      host: string;
      port: number;
      user: string;
      database: string;
    } => ({
      host: '127.0.0.1',
      port: 3306,
      user: 'root',
      database: fx.testDb.name,
    });
    beforeAll(async () => {
      caFile = join(mkdtempSync(join(tmpdir(), 'setmov-ca-')), 'ca.pem');
      writeFileSync(caFile, selfSignedLookingPem);
      garbage = await listen((socket) =>
        socket.end('HTTP/1.1 400 Bad Request\r\n\r\nno mysql here\r\n'),
      );
      silent = await listen(() => undefined);
      const probe = await listen(() => undefined);
      closedPort = portOf(probe);
      await new Promise((resolve) => probe.close(resolve));
    });
    afterAll(() => {
      rmSync(dirname(caFile), { recursive: true, force: true });
      garbage.close();
      silent.close();
    });

    const cases: [string, () => Partial<MysqlSyncOptions>, string, RegExp][] = [
      ['a wrong password', () => ({ password: 'wrong-password' }), 'auth-failed', /access denied/i],
      [
        'an unknown database',
        () => ({
          target: { host: '127.0.0.1', port: 3306, user: 'root', database: 'setmov_no_such_db' },
        }),
        'unknown-database',
        /Unknown database/,
      ],
      [
        'a closed port',
        () => ({ target: { host: '127.0.0.1', port: closedPort, user: 'root', database: 'x' } }),
        'connection-refused',
        /refused/,
      ],
      [
        'a server that is not MySQL',
        () => ({
          target: { host: '127.0.0.1', port: portOf(garbage), user: 'root', database: 'x' },
          connectTimeoutMs: 1500,
        }),
        'not-mysql',
        /not a MySQL server: it greets with "HTTP\/1.1 400/,
      ],
      [
        'a server that says nothing',
        () => ({
          target: { host: '127.0.0.1', port: portOf(silent), user: 'root', database: 'x' },
          connectTimeoutMs: 1000,
        }),
        'not-mysql',
        /sends nothing/,
      ],
      [
        'TLS asked of a server without it',
        () => ({
          target: {
            host: '127.0.0.1',
            port: 3306,
            user: 'root',
            database: fx.testDb.name,
            tlsCaFile: caFile,
          },
        }),
        'tls',
        /does not offer TLS/,
      ],
      [
        'a CA file that cannot be read',
        () => ({
          target: { ...sharedMysqlTarget(), tlsCaFile: '/nonexistent/ca.pem' },
        }),
        'tls',
        /cannot read the CA file/,
      ],
    ];
    for (const [label, options, code, message] of cases) {
      it(`${label} → ${code}`, async () => {
        ingestSamples(1, 2);
        const sync = newSync(options());
        const abort = new AbortController();
        const rounds: string[] = [];
        const following = sync.follow(abort.signal, (s) => rounds.push(s.lastError?.code ?? 'ok'));
        const rand = makeRandom(9);
        const deadline = Date.now() + 8000;
        let ingested = 0;
        while (rounds.length === 0 && Date.now() < deadline) {
          fx.store.ingest([{ type: 'vm-sample', sample: makeVmSample(0, Date.now(), rand) }]);
          ingested++;
          await new Promise((r) => setTimeout(r, 50));
        }
        abort.abort();
        await following;
        expect(rounds[0]).toBe(code);
        const status = sync.status();
        expect(status.lastError?.code).toBe(code);
        expect(status.lastError?.message).toMatch(message);
        expect(ingested).toBeGreaterThan(0);
        const stored = fx.store.db.prepare('SELECT count(*) AS n FROM vm_samples').get() as {
          n: number;
        };
        expect(stored.n).toBe(2 + ingested);
        expect(status.lagSamples).toBeGreaterThanOrEqual(4);
        expect(status.lagSamples).toBeLessThanOrEqual(4 + ingested);
      });
    }
  });

  it('works from the CLI: setmov sync --init --once, and a one-line error for a bad database', async () => {
    ingestSamples(2, 10);
    const run = async (args: string[]): Promise<{ code: number; out: string; err: string }> => {
      const stdout = new PassThrough();
      const stderr = new PassThrough();
      let out = '';
      let err = '';
      stdout.on('data', (c: Buffer) => (out += c.toString()));
      stderr.on('data', (c: Buffer) => (err += c.toString()));
      process.env.SETMOV_MYSQL_PASSWORD = '';
      try {
        const code = await main(args, { stdout, stderr, signal: new AbortController().signal });
        return { code, out, err };
      } finally {
        delete process.env.SETMOV_MYSQL_PASSWORD;
      }
    };
    const url = `mysql://root@127.0.0.1:3306/${fx.testDb.name}`;
    const ok = await run(['sync', '--db', fx.tmp.file('h.db'), '--mysql', url, '--init', '--once']);
    expect(ok.err).toBe('');
    expect(ok.out).toContain(`schema upgraded from version 0 to ${latestMysqlVersion}`);
    expect(ok.out).toContain('sync idle: sent 30 rows, 0 waiting');
    expect(ok.code).toBe(0);
    const bad = await run([
      'sync',
      '--db',
      fx.tmp.file('h.db'),
      '--mysql',
      'mysql://root@127.0.0.1:3306/setmov_no_such_db',
    ]);
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(
      /^setmov: unknown-database: .*Unknown database 'setmov_no_such_db': the database does not exist \(setmov sync --init creates it, or create it yourself and grant the user all rights on it\)\n$/,
    );
    const argvPassword = await run(['sync', '--mysql', 'mysql://root:secret@127.0.0.1/x']);
    expect(argvPassword.code).toBe(2);
    expect(argvPassword.err).toMatch(/do not put the password in the URL/);
  });
});
