import { PassThrough } from 'node:stream';
import { expect, it } from 'vitest';
import { describeBed } from '../../helpers/bed';
import { main } from '../../../src/cli/main';
import type { StoreEvent } from '../../../src/store/store-events';
import { rawHost, rawSample as rawSampleRow, rawVm as rawVmRow } from '../helpers/raw-rows';
import { makeHostSample, makeRandom, makeVmSample, vmUuid } from '../sample-factory';
import { useSyncFixture } from './sync-fixture';

type Row = Record<string, unknown>;

/**
 * One bad row must not stop the sync. The values below are the ones seen in the field,
 * written straight into SQLite (helpers/raw-rows.ts). The MySQL side is the machine's
 * real MariaDB (a database of this file's own).
 */
describeBed('MySQL sync with rows MySQL cannot take as they are', () => {
  const fx = useSyncFixture();
  const { t0, newSync, ingestSamples } = fx;

  const hostId = (name: string): number =>
    (fx.store.db.prepare('SELECT id FROM hosts WHERE name = ?').get(name) as { id: number }).id;
  const rawVm = (uuid: string, name: string, state: string): number =>
    rawVmRow(fx.store.db, { uuid, hostId: hostId('kvm-host-1'), name, state, lastSeen: t0 });
  const rawSample = (
    table: 'vm_samples' | 'host_samples',
    entityId: number,
    ts: number,
    columns: Record<string, number>,
  ): number => rawSampleRow(fx.store.db, table, entityId, ts, columns);

  const parkedLocally = (): Row[] =>
    fx.store.db
      .prepare('SELECT tbl, sample_id, entity, ts, reason FROM sync_parked ORDER BY tbl, sample_id')
      .all() as Row[];

  it('sends the field values made valid, parks what has no valid form, and goes on', async () => {
    ingestSamples(2, 5);
    const longName = `데스크톱-${'x'.repeat(300)}`;
    const longState = 's'.repeat(40);
    const a = rawVm(vmUuid(10), longName, longState);
    const normal = rawSample('vm_samples', a, t0, { cpu_host: 1234, mem_rss: 1000 });
    // CPU 1e22 % (once sent as `1e+24e-2`, a syntax error)
    const hugeCpu = rawSample('vm_samples', a, t0 + 2000, { cpu_host: 1e24 });
    // memory 1e300 bytes, out of BIGINT range
    const hugeMemory = rawSample('vm_samples', a, t0 + 4000, { mem_rss: 1e300 / 1024 });
    // two disks whose reads counter jumped 0 → 2^64−1 within 2 s, stored in hundredths
    const hugeIops = rawSample('vm_samples', a, t0 + 6000, { disk_rd_iops: 2 ** 64 * 100 });
    const farFuture = Date.UTC(33658, 0, 1);
    const year33658 = rawSample('vm_samples', a, farFuture, { cpu_host: 500 });
    const b = rawVm('0000000ü-0000-4000-8000-000000000000', 'desktop-ü', 'running');
    const bSamples = [0, 2000].map((d) => rawSample('vm_samples', b, t0 + d, { cpu_host: 100 }));
    // a host without IPv4: its name becomes host_ip, wider than the column's 64 characters
    const hostName = `host-without-ipv4.${'z'.repeat(100)}.example`;
    const c = rawHost(fx.store.db, hostName);
    rawSample('host_samples', c, t0, { cpu: 1e24, mem_total: 8e6 });
    rawSample('host_samples', c, t0 + 2000, { cpu: 4200 });

    const sync = newSync({ batchRows: 7 });
    await sync.init();
    const sent = await sync.syncOnce();
    expect(sync.status()).toMatchObject({
      state: 'idle',
      lagSamples: 0,
      lastError: null,
      parkedRows: 4,
    });
    // 5 host + 10 VM normal samples, VM a's four valid ones, host c's two
    expect(sent).toBe(5 + 10 + 4 + 2);

    const t4 = (await fx.testDb.query(
      `SELECT ts, cpu, mem_rss_bytes, disk_read_iops FROM $db.t4_vm_usage WHERE uuid = '${vmUuid(10)}' ORDER BY ts`,
    )) as Row[];
    expect(t4.map((r) => [r.cpu, r.mem_rss_bytes, r.disk_read_iops])).toEqual([
      [12.34, 1024000, null],
      [1e22, null, null],
      [null, null, null],
      [null, null, 2 ** 64],
    ]);
    const [vmA] = (await fx.testDb.query(
      `SELECT name, state FROM $db.t3_vm WHERE uuid = '${vmUuid(10)}'`,
    )) as Row[];
    expect(vmA).toEqual({
      name: Array.from(longName).slice(0, 255).join(''),
      state: 's'.repeat(32),
    });

    const hosts = (await fx.testDb.query(
      "SELECT host_ip, host_name FROM $db.t1_host WHERE host_name LIKE 'host-without%'",
    )) as Row[];
    expect(hosts).toHaveLength(1);
    const hostIp = String(hosts[0]?.host_ip);
    expect(hosts[0]?.host_name).toBe(hostName);
    expect(hostIp).toHaveLength(64);
    expect(hostIp).toMatch(/^host-without-ipv4\.z+~[0-9a-f]{8}$/);
    const t2 = (await fx.testDb.query(
      `SELECT cpu, memory FROM $db.t2_host_usage WHERE host_ip = '${hostIp}' ORDER BY ts`,
    )) as Row[];
    expect(t2).toEqual([
      { cpu: 1e22, memory: null },
      { cpu: 42, memory: null },
    ]);

    const parked = parkedLocally();
    expect(parked).toEqual([
      {
        tbl: 't3_vm',
        sample_id: 0,
        entity: '0000000ü-0000-4000-8000-000000000000',
        ts: null,
        reason: expect.stringMatching(/not ASCII/) as unknown,
      },
      ...[year33658, ...bSamples]
        .sort((x, y) => x - y)
        .map((id) => ({
          tbl: 't4_vm_usage',
          sample_id: id,
          entity: id === year33658 ? vmUuid(10) : '0000000ü-0000-4000-8000-000000000000',
          ts: id === year33658 ? farFuture : bSamples[0] === id ? t0 : t0 + 2000,
          reason: expect.stringMatching(
            id === year33658 ? /outside DATETIME's years 1000-9999/ : /not ASCII/,
          ) as unknown,
        })),
    ]);
    expect(normal + hugeCpu + hugeMemory + hugeIops).toBeGreaterThan(0);

    // nothing is left waiting and nothing is parked twice
    expect(await sync.syncOnce()).toBe(0);
    expect(sync.status().parkedRows).toBe(4);
    expect(parkedLocally()).toHaveLength(4);
  });

  it('splits a batch the server refuses until the refused rows are found, parks them, sends the rest', async () => {
    ingestSamples(5, 200, 3);
    const sync = newSync({ batchRows: 150, rowsPerStatement: 40 });
    await sync.init();
    // A rule of the central database's own that this console knows nothing of.
    await fx.testDb.query(
      'ALTER TABLE $db.t4_vm_usage ADD CONSTRAINT guest_cpu_sane CHECK (cpu_guest_percent < 95)',
    );
    const refused = (
      fx.store.db
        .prepare('SELECT id FROM vm_samples WHERE cpu_guest >= 9500 ORDER BY id')
        .all() as {
        id: number;
      }[]
    ).map((r) => r.id);
    expect(refused.length).toBeGreaterThan(20);

    const sent = await sync.syncOnce();
    expect(sent).toBe(200 + 1000 - refused.length);
    const status = sync.status();
    expect(status).toMatchObject({ lagSamples: 0, lastError: null, parkedRows: refused.length });
    expect(status.lastParked).toMatchObject({
      table: 't4_vm_usage',
      reason: expect.stringMatching(/guest_cpu_sane/) as unknown,
    });
    const parked = parkedLocally();
    expect(parked.map((r) => r.sample_id)).toEqual(refused);
    const [counts] = (await fx.testDb.query(
      'SELECT count(*) AS n, max(cpu_guest_percent) AS top FROM $db.t4_vm_usage',
    )) as { n: number; top: number }[];
    expect(counts?.n).toBe(1000 - refused.length);
    expect(counts?.top).toBeLessThan(95);
    expect(await sync.syncOnce()).toBe(0);
  });

  it('parks the samples of a VM whose t3 row the server refuses, whole, and sends the others', async () => {
    ingestSamples(3, 100, 4);
    const sync = newSync({ batchRows: 1000 });
    await sync.init();
    await fx.testDb.query(
      "ALTER TABLE $db.t3_vm ADD CONSTRAINT no_refused CHECK (name NOT LIKE 'refused%')",
    );
    const rand = makeRandom(8);
    const events: StoreEvent[] = [];
    for (let k = 0; k < 300; k++) {
      events.push({
        type: 'vm-sample',
        sample: { ...makeVmSample(7, t0 + k * 2000, rand), name: 'refused-vm' },
      });
    }
    fx.store.ingest(events);

    const sent = await sync.syncOnce();
    expect(sent).toBe(100 + 300);
    const parked = parkedLocally();
    expect(parked).toHaveLength(1 + 300);
    expect(parked[0]).toMatchObject({ tbl: 't3_vm', entity: vmUuid(7) });
    expect(parked[0]?.reason).toMatch(/no_refused/);
    expect(new Set(parked.slice(1).map((r) => r.reason))).toEqual(
      new Set([expect.stringMatching(/^its t3_vm row was refused: .*no_refused/) as unknown]),
    );
    expect(sync.status()).toMatchObject({ lagSamples: 0, parkedRows: 301 });
  });

  it('sends the IOPS of two disks whose reads counter jumped 0 → 2^64−1 in 2 s as a number', async () => {
    const rand = makeRandom(6);
    const sample = makeHostSample(t0, rand);
    // what the host's disk rates give for that interval: 2 × (2^64 − 1) reads over 2 s
    sample.disk.readIops = (2 * (2 ** 64 - 1)) / 2;
    fx.store.upsertHost({ name: 'kvm-host-1', ip: '192.0.2.10', cores: 8, memoryBytes: 8e9 });
    fx.store.ingest([{ type: 'host-sample', sample }]);
    const stored = fx.store.db.prepare('SELECT disk_rd_iops AS v FROM host_samples').get() as {
      v: number | null;
    };
    const sync = newSync();
    await sync.init();
    expect(await sync.syncOnce()).toBe(1);
    const [row] = (await fx.testDb.query('SELECT disk_read_iops AS v FROM $db.t2_host_usage')) as {
      v: number | null;
    }[];
    expect(row?.v).toBe(stored.v === null ? null : stored.v / 100);
  });

  it('registers a target on its first connection, so pruning keeps what it has not taken', async () => {
    // nothing to send yet: the target is known all the same
    const sync = newSync();
    await sync.init();
    expect(await sync.syncOnce()).toBe(0);
    const marks = fx.store.db
      .prepare('SELECT stream FROM sync_watermarks WHERE target = ? ORDER BY stream')
      .all(sync.status().target) as { stream: string }[];
    expect(marks.map((m) => m.stream)).toEqual([
      'audit',
      'host_buckets',
      'host_samples',
      'hosts',
      'vm_buckets',
      'vm_samples',
      'vms',
    ]);
    // a target that never answers is not registered and holds nothing
    const unreachable = newSync({
      target: { host: '127.0.0.1', port: 1, user: 'root', database: 'nowhere' },
    });
    await expect(unreachable.syncOnce()).rejects.toMatchObject({ code: 'connection-refused' });
    const held = fx.store.db
      .prepare('SELECT count(*) AS n FROM sync_watermarks WHERE target = ?')
      .get(unreachable.status().target) as { n: number };
    expect(held.n).toBe(0);
  });

  it('says on the setmov sync line how many rows were parked and why', async () => {
    ingestSamples(1, 3);
    rawSample('vm_samples', rawVm(vmUuid(20), 'desktop-20', 'running'), Date.UTC(33658, 0, 1), {
      cpu_host: 1,
    });
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    let out = '';
    let err = '';
    stdout.on('data', (c: Buffer) => (out += c.toString()));
    stderr.on('data', (c: Buffer) => (err += c.toString()));
    process.env.SETMOV_MYSQL_PASSWORD = '';
    let code: number;
    try {
      code = await main(
        [
          'sync',
          '--db',
          fx.tmp.file('h.db'),
          '--mysql',
          `mysql://root@127.0.0.1:3306/${fx.testDb.name}`,
          '--init',
          '--once',
        ],
        { stdout, stderr, signal: new AbortController().signal },
      );
    } finally {
      delete process.env.SETMOV_MYSQL_PASSWORD;
    }
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(out).toContain(
      `sync idle: sent 6 rows, 0 waiting, 1 parked (not sent; last: t4_vm_usage "${vmUuid(20)}" at +033658-01-01T00:00:00.000Z: time ${Date.UTC(33658, 0, 1)} ms is outside DATETIME's years 1000-9999)`,
    );
  });
});
