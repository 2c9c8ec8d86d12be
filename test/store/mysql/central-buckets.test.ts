import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Store } from '../../../src/store/store';
import { Outbox, mysqlDatetime } from '../../../src/store/mysql/outbox';
import type { OutboxBatch } from '../../../src/store/mysql/outbox';
import { BUCKET_GRACE_MS } from '../../../src/store/mysql/central-buckets';
import { tempDir } from '../temp-db';
import { makeHostSample, makeRandom, makeVmSample, vmUuid } from '../sample-factory';

const TEN_S = 10_000;
/** A bucket boundary, so the arithmetic below reads plainly. */
const T0 = 1_800_000_000_000;

let dir: ReturnType<typeof tempDir>;
let store: Store;
let db: Database.Database;

beforeEach(() => {
  dir = tempDir();
  store = Store.open({ path: dir.file('h.db') });
  db = new Database(dir.file('h.db'));
});
afterEach(() => {
  db.close();
  store.close();
  dir.remove();
});

/** Samples of two VMs and their host every second from `fromMs` up to and with `toMs`. */
function collect(fromMs: number, toMs: number, cpuOf: (ts: number) => number): void {
  const rand = makeRandom(7);
  for (let ts = fromMs; ts <= toMs; ts += 1000) {
    const events = [1, 2].map((i) => {
      const sample = makeVmSample(i, ts, rand);
      sample.cpu = { hostPercent: cpuOf(ts), guestPercent: cpuOf(ts) };
      return { type: 'vm-sample' as const, sample };
    });
    store.ingest([...events, { type: 'host-sample', sample: makeHostSample(ts, rand) }]);
  }
}

/** (uuid, ts) → the cpu figure of each t4 tuple. */
function t4Figures(batch: OutboxBatch): Map<string, string> {
  return new Map(
    batch.t4.map((tuple) => {
      const [uuid, ts, cpu] = tuple.slice(1, -1).split(',');
      return [`${uuid}|${ts}`, cpu as string];
    }),
  );
}

function land(outbox: Outbox, batch: OutboxBatch): void {
  outbox.advance(
    {
      host_samples: batch.lastHostSampleId,
      vm_samples: batch.lastVmSampleId,
      host_buckets: batch.hostBucketsUntil,
      vm_buckets: batch.vmBucketsUntil,
    },
    0,
  );
}

describe('usage sent as 10-second averages', () => {
  it('sends each closed bucket once, as the average of its samples, and holds the open one', () => {
    // Samples at T0+1s … T0+25s: buckets (T0, T0+10s] and (T0+10s, T0+20s] are whole.
    collect(T0 + 1000, T0 + 25_000, (ts) => (ts - T0) / 1000);
    const outbox = new Outbox(db, 'mysql://t@h:1/d', TEN_S);
    const now = T0 + 20_000 + BUCKET_GRACE_MS + 1;
    const batch = outbox.readBatch(5000, undefined, now);
    const figures = t4Figures(batch);
    // Two VMs × two closed buckets; the bucket ending at T0+30s is still open.
    expect(figures.size).toBe(4);
    for (const i of [1, 2]) {
      // cpu 1..10 averages 5.5; 11..20 averages 15.5 (hundredths kept).
      expect(figures.get(`'${vmUuid(i)}'|'${mysqlDatetime(T0 + 10_000)}'`)).toBe('5.50');
      expect(figures.get(`'${vmUuid(i)}'|'${mysqlDatetime(T0 + 20_000)}'`)).toBe('15.50');
    }
    expect(batch.t2).toHaveLength(2);
    expect(batch.vmBucketsUntil).toBe(T0 + 20_000);
    expect(batch.full).toBe(false);
    // The id mark stops before the open bucket's first sample: 20 polls × 2 VMs.
    expect(batch.lastVmSampleId).toBe(40);
    // Both VMs have newer samples than the buckets: their t3 rows carry the latest figures.
    expect(batch.vmIds.size).toBe(2);

    land(outbox, batch);
    const again = outbox.readBatch(5000, undefined, now);
    expect(again.t4).toEqual([]);
    expect(again.vmIds.size).toBe(2);
  });

  it('averages a bucket again, whole, when a sample of it comes in after it was sent', () => {
    collect(T0 + 1000, T0 + 9000, () => 10);
    collect(T0 + 11_000, T0 + 14_000, () => 10);
    const outbox = new Outbox(db, 'mysql://t@h:1/d', TEN_S);
    const now = T0 + 10_000 + BUCKET_GRACE_MS + 1;
    const first = outbox.readBatch(5000, undefined, now);
    expect(t4Figures(first).get(`'${vmUuid(1)}'|'${mysqlDatetime(T0 + 10_000)}'`)).toBe('10.00');
    land(outbox, first);
    // The sample of T0+10s comes late, with cpu 20: (9 × 10 + 20) / 10 = 11.
    const rand = makeRandom(3);
    const late = makeVmSample(1, T0 + 10_000, rand);
    late.cpu = { hostPercent: 20, guestPercent: 20 };
    store.ingest([{ type: 'vm-sample', sample: late }]);
    const second = outbox.readBatch(5000, undefined, now);
    expect([...t4Figures(second)]).toEqual([
      [`'${vmUuid(1)}'|'${mysqlDatetime(T0 + 10_000)}'`, '11.00'],
    ]);
  });

  it('sends a backlog in batches of whole buckets, oldest first, and loses none', () => {
    collect(T0 + 1000, T0 + 120_000, () => 1);
    const outbox = new Outbox(db, 'mysql://t@h:1/d', TEN_S);
    const now = T0 + 120_000 + BUCKET_GRACE_MS + 1;
    const seen = new Set<string>();
    let batch = outbox.readBatch(4, undefined, now);
    let batches = 1;
    while (batch.full) {
      for (const key of t4Figures(batch).keys()) {
        expect(seen.has(key)).toBe(false);
        seen.add(key);
      }
      batch = outbox.readBatch(4, batch, now);
      batches++;
    }
    for (const key of t4Figures(batch).keys()) seen.add(key);
    // 12 buckets × 2 VMs, two buckets (4 rows) per batch at a limit of 4 and 2 VMs.
    expect(seen.size).toBe(24);
    expect(batches).toBe(6);
  });
});

describe('raw batches behind the history', () => {
  it("carry each entity's newest sample of the history's tail as its latest figures, not the batch's", () => {
    collect(T0, T0 + 59_000, () => 10);
    const outbox = new Outbox(db, 'mysql://t@h:3306/d', 0);
    const newestVm = db
      .prepare('SELECT vm_id, max(id) AS id FROM vm_samples GROUP BY vm_id')
      .all() as { vm_id: number; id: number }[];
    const newestHost = db.prepare('SELECT max(id) FROM host_samples').pluck().get() as number;
    // 10 rows a table: a sixth of the history, far behind its end.
    const first = outbox.readBatch(10, undefined, T0 + 60_000);
    expect(first.full).toBe(true);
    expect(first.lastVmSampleId).toBeLessThan(Math.min(...newestVm.map((v) => v.id)));
    expect(new Map(first.vmIds)).toEqual(new Map(newestVm.map((v) => [v.vm_id, v.id])));
    expect([...first.hostIds.values()]).toEqual([newestHost]);
    // Caught up: a short batch names the newest of its own rows.
    land(outbox, first);
    const rest = outbox.readBatch(1000, undefined, T0 + 60_000);
    expect(rest.full).toBe(false);
    expect(new Map(rest.vmIds)).toEqual(new Map(newestVm.map((v) => [v.vm_id, v.id])));
  });
});
