import { statSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { latestSqliteVersion } from '../../src/store/sqlite/migrations';
import { Store } from '../../src/store/store';
import type { StoreEvent } from '../../src/store/store-events';
import { StoreError } from '../../src/store/store-error';
import { makeHostSample, makeRandom, makeVmSample, vmUuid } from './sample-factory';
import { tempDir } from './temp-db';

const MIN = 60_000;
const HOUR = 60 * MIN;

describe('Store (real SQLite files)', () => {
  let tmp: ReturnType<typeof tempDir>;
  let now: number;
  let store: Store;

  beforeEach(() => {
    tmp = tempDir();
    now = Date.UTC(2026, 0, 10, 12, 0, 0);
    store = Store.open({ path: tmp.file('h.db'), now: () => now });
  });
  afterEach(() => {
    store.close();
    tmp.remove();
  });

  it('opens in WAL mode at the latest schema version', () => {
    expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(store.db.pragma('synchronous', { simple: true })).toBe(1);
    expect(store.db.pragma('user_version', { simple: true })).toBe(latestSqliteVersion);
  });

  it('stores hosts, VMs, samples and events; keeps VM state, lct and vmc current', () => {
    const rand = makeRandom(1);
    store.upsertHost({ name: 'kvm-host-1', ip: '192.0.2.10', cores: 8, memoryBytes: 8e9 });
    const sample = makeVmSample(1, now - 10_000, rand);
    const result = store.ingest([
      { type: 'host-sample', sample: makeHostSample(now - 10_000, rand) },
      { type: 'vm-sample', sample },
      {
        type: 'vm-event',
        uuid: vmUuid(1),
        ts: now - 5000,
        kind: 'display-connect',
        detail: '10.0.0.5',
      },
      {
        type: 'vm-inventory',
        host: 'kvm-host-1',
        uuid: vmUuid(1),
        name: 'desktop-1',
        state: 'paused',
        ts: now,
      },
    ]);
    expect(result).toEqual({ hostSamples: 1, vmSamples: 1, other: 2, rejected: [] });
    const vm = store.db.prepare('SELECT * FROM vms WHERE uuid = ?').get(vmUuid(1)) as Record<
      string,
      unknown
    >;
    expect(vm).toMatchObject({
      name: 'desktop-1',
      state: 'paused',
      lct: now - 5000,
      connected_now: 1,
      last_seen: now,
    });
    expect(JSON.parse(vm.disk_devices as string)).toEqual(['vda']);
    const host = store.db.prepare('SELECT * FROM hosts').get() as Record<string, unknown>;
    expect(host).toMatchObject({ name: 'kvm-host-1', ip: '192.0.2.10', cores: 8, vm_count: 4 });
    const events = store.db.prepare('SELECT kind, detail FROM vm_events').all();
    expect(events).toEqual([{ kind: 'display-connect', detail: '10.0.0.5' }]);
  });

  it('keeps every measured figure to its stated precision', () => {
    const rand = makeRandom(2);
    const sample = makeVmSample(3, now - 1000, rand);
    store.ingest([{ type: 'vm-sample', sample }]);
    const q = store.query({
      entity: { kind: 'vm', uuid: sample.uuid },
      metrics: [
        'cpuHostPercent',
        'memGuestUsedBytes',
        'diskWriteBytesPerSec',
        'netRxPacketsPerSec',
      ],
      from: now - 2000,
      to: now,
      maxPoints: 10,
    });
    expect(q.resolution).toBe('raw');
    const v = q.points[0]?.values;
    expect(v?.cpuHostPercent?.avg).toBeCloseTo(sample.cpu.hostPercent ?? NaN, 2);
    expect(v?.memGuestUsedBytes?.avg).toBe(
      Math.round((sample.memory.guestUsedBytes ?? 0) / 1024) * 1024,
    );
    expect(v?.diskWriteBytesPerSec?.avg).toBe(Math.round(sample.disk.writeBytesPerSec ?? 0));
    expect(v?.netRxPacketsPerSec?.avg).toBeCloseTo(sample.net.rxPacketsPerSec ?? NaN, 2);
  });

  it('refuses malformed events one by one and keeps the rest of the batch', () => {
    const rand = makeRandom(3);
    const bad = [
      { type: 'vm-sample', sample: { ...makeVmSample(1, now, rand), uuid: '' } },
      { type: 'host-sample', sample: { ...makeHostSample(now, rand), ts: Number.NaN } },
      { type: 'nonsense' },
      { type: 'vm-event', uuid: 'unknown-uuid', ts: now, kind: 'lifecycle' },
    ] as unknown as StoreEvent[];
    const good: StoreEvent = { type: 'vm-sample', sample: makeVmSample(2, now, rand) };
    const result = store.ingest([...bad, good]);
    expect(result.vmSamples).toBe(1);
    expect(result.rejected.map((r) => r.index)).toEqual([0, 1, 2, 3]);
    expect(result.rejected[3]?.reason).toMatch(/unknown VM/);
  });

  it('never stores NaN or Infinity: they become NULL', () => {
    const rand = makeRandom(4);
    const s = makeVmSample(1, now, rand);
    s.cpu.hostPercent = Number.NaN;
    s.disk.readBytesPerSec = Number.POSITIVE_INFINITY;
    store.ingest([{ type: 'vm-sample', sample: s }]);
    const row = store.db.prepare('SELECT cpu_host, disk_rd FROM vm_samples').get();
    expect(row).toEqual({ cpu_host: null, disk_rd: null });
  });

  it('keeps a raw VM sample under 120 bytes on disk', { timeout: 90_000 }, () => {
    const rand = makeRandom(5);
    const events: StoreEvent[] = [];
    const n = 40_000;
    for (let k = 0; k < n; k++) {
      events.push({
        type: 'vm-sample',
        sample: makeVmSample(k % 40, now - HOUR + Math.floor(k / 40) * 2000, rand),
      });
    }
    for (let k = 0; k < n; k += 500) store.ingest(events.slice(k, k + 500));
    store.db.pragma('wal_checkpoint(TRUNCATE)');
    const bytes = statSync(tmp.file('h.db')).size / n;
    expect(bytes).toBeLessThan(120);
  });

  describe('rollups, retention and range queries', () => {
    const uuid = vmUuid(7);
    function fill(fromTs: number, toTs: number, stepMs: number): number {
      const rand = makeRandom(6);
      let count = 0;
      let batch: StoreEvent[] = [];
      for (let ts = fromTs; ts < toTs; ts += stepMs) {
        const s = makeVmSample(7, ts, rand);
        s.cpu.hostPercent = (ts / 1000) % 100;
        batch.push({ type: 'vm-sample', sample: s });
        count++;
        if (batch.length === 1000) {
          store.ingest(batch);
          batch = [];
        }
      }
      store.ingest(batch);
      return count;
    }

    it(
      'rolls up in bounded steps and answers from the rollups with the same min/avg/max',
      { timeout: 90_000 },
      () => {
        fill(now - 6 * HOUR, now, 2000);
        const raw = store.query({
          entity: { kind: 'vm', uuid },
          metrics: ['cpuHostPercent'],
          from: now - 6 * HOUR,
          to: now - 3 * HOUR,
          maxPoints: 180,
          resolution: 'raw',
        });
        let calls = 0;
        for (;;) {
          calls++;
          const r = store.maintain(1);
          if (r.idle) break;
          expect(r.steps).toBeLessThanOrEqual(3);
        }
        expect(calls).toBeGreaterThan(10);
        const rolled = store.query({
          entity: { kind: 'vm', uuid },
          metrics: ['cpuHostPercent'],
          from: now - 6 * HOUR,
          to: now - 3 * HOUR,
          maxPoints: 180,
        });
        expect(rolled.resolution).toBe('1m');
        expect(rolled.points).toHaveLength(180);
        expect(rolled.points.length).toBe(raw.points.length);
        rolled.points.forEach((p, i) => {
          const r = raw.points[i];
          expect(p.ts).toBe(r?.ts);
          expect(p.n).toBe(r?.n);
          expect(p.values.cpuHostPercent?.min).toBeCloseTo(r?.values.cpuHostPercent?.min ?? NaN, 6);
          expect(p.values.cpuHostPercent?.max).toBeCloseTo(r?.values.cpuHostPercent?.max ?? NaN, 6);
          expect(p.values.cpuHostPercent?.avg).toBeCloseTo(r?.values.cpuHostPercent?.avg ?? NaN, 6);
        });
        const hourly = store.query({
          entity: { kind: 'vm', uuid },
          metrics: ['cpuHostPercent'],
          from: now - 6 * HOUR,
          to: now,
          maxPoints: 6,
        });
        expect(hourly.resolution).toBe('1h');
        expect(hourly.points).toHaveLength(6);
        expect(hourly.points.reduce((a, p) => a + p.n, 0)).toBe(6 * 1800);
      },
    );

    it(
      'never returns more than maxPoints buckets, and fills the not-yet-rolled tail from raw',
      { timeout: 90_000 },
      () => {
        fill(now - 2 * HOUR, now, 2000);
        store.maintain(1000);
        for (const maxPoints of [1, 7, 100, 1000, 5000]) {
          const q = store.query({
            entity: { kind: 'vm', uuid },
            metrics: ['cpuHostPercent', 'netTxBytesPerSec'],
            from: now - 2 * HOUR,
            to: now,
            maxPoints,
          });
          expect(q.points.length).toBeLessThanOrEqual(maxPoints);
          expect(q.points.reduce((a, p) => a + p.n, 0)).toBe(3600);
        }
      },
    );

    it(
      'prunes by retention: raw after 48 h, minutes after 30 days, only what is rolled up',
      { timeout: 90_000 },
      () => {
        fill(now - 3 * 24 * HOUR, now, 60_000);
        const count = (sql: string): number => (store.db.prepare(sql).get() as { n: number }).n;
        while (!store.maintain(50).idle);
        const oldestRaw = count('SELECT min(ts) AS n FROM vm_samples');
        expect(oldestRaw).toBeGreaterThanOrEqual(now - 48 * HOUR);
        expect(count('SELECT count(*) AS n FROM vm_rollup_1m')).toBeGreaterThan(3 * 24 * 60 - 10);
        expect(count('SELECT min(bucket) AS n FROM vm_rollup_1h')).toBeLessThanOrEqual(
          now - 3 * 24 * HOUR + HOUR,
        );
        now += 31 * 24 * HOUR;
        while (!store.maintain(50).idle);
        expect(count('SELECT count(*) AS n FROM vm_rollup_1m')).toBe(0);
        expect(count('SELECT count(*) AS n FROM vm_rollup_1h')).toBeGreaterThan(70);
        // the newest raw row stays so ids never repeat (the sync watermark relies on it)
        expect(count('SELECT count(*) AS n FROM vm_samples')).toBe(1);
      },
    );

    it('prunes by a retention changed while open (the settings), refusing nonsense', () => {
      fill(now - 12 * HOUR, now, 60_000);
      const count = (sql: string): number => (store.db.prepare(sql).get() as { n: number }).n;
      while (!store.maintain(50).idle);
      expect(count('SELECT min(ts) AS n FROM vm_samples')).toBeLessThan(now - 11 * HOUR);
      store.setRetention({ rawMs: 6 * HOUR });
      while (!store.maintain(50).idle);
      expect(count('SELECT min(ts) AS n FROM vm_samples')).toBeGreaterThanOrEqual(now - 6 * HOUR);
      // Rolled up before pruning: the minutes still hold the whole 12 h.
      expect(count('SELECT count(*) AS n FROM vm_rollup_1m')).toBeGreaterThan(12 * 60 - 10);
      for (const bad of [0, -1, Number.NaN, Infinity]) {
        expect(() => store.setRetention({ minuteMs: bad })).toThrow(StoreError);
      }
      expect(store.retention.minuteMs).toBe(30 * 24 * HOUR);
    });

    it('answers a query for an unknown VM or metric with a typed error', () => {
      fill(now - HOUR, now, 60_000);
      const q = { entity: { kind: 'vm' as const, uuid }, from: now - HOUR, to: now, maxPoints: 10 };
      expect(() => store.query({ ...q, metrics: ['bogus'] })).toThrow(StoreError);
      expect(() =>
        store.query({ ...q, metrics: ['cpuHostPercent'], entity: { kind: 'vm', uuid: 'x' } }),
      ).toThrow(/no VM/);
      expect(() => store.query({ ...q, metrics: ['cpuHostPercent'], to: q.from })).toThrow(
        /bad range/,
      );
      expect(() => store.query({ ...q, metrics: ['cpuHostPercent'], maxPoints: 0 })).toThrow(
        /maxPoints/,
      );
    });
  });
});
