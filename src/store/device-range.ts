import type { Database } from 'better-sqlite3';
import { resolveEntity } from './entity-ref';
import type { EntityRef } from './entity-ref';
import type { RetentionConfig } from './retention';
import { decodeMetric, pickMetrics } from './metrics';
import { decodeHostDetail, decodeVmDetail } from './sample-detail';
import { sampleRangeParams, sampleRangeSql } from './sample-range';
import { assertMaxPoints, assertRange } from './range-checks';
import { sumKnown } from '../shared/model/sum-known';

/** One device's traffic over a range: bucket start (ms) and average bytes/s, null for a gap. */
export interface DeviceSeries {
  name: string;
  points: { ts: number; bytesPerSec: number | null }[];
}

export interface DeviceRangeQuery {
  entity: EntityRef;
  /** ms since the epoch, inclusive */
  from: number;
  /** ms since the epoch, exclusive */
  to: number;
  /** At most this many buckets per device. */
  maxPoints: number;
}

export interface DeviceRangeResult {
  bucketMs: number;
  /**
   * Where per-device figures begin: they live in the raw samples only (the rollups keep
   * the totals), so a range reaching further back than the raw retention is empty there.
   */
  keptFromMs: number;
  /** Read + write per disk, rx + tx per interface, in the order the samples list them. */
  disks: DeviceSeries[];
  nics: DeviceSeries[];
}

interface Bucket {
  sum: number;
  count: number;
}

/** Per-device averages, bucket by bucket, for one kind of device. */
class DeviceBuckets {
  private readonly byName = new Map<string, Map<number, Bucket>>();

  add(name: string, bucket: number, value: number | null): void {
    let buckets = this.byName.get(name);
    if (!buckets) this.byName.set(name, (buckets = new Map()));
    if (value === null) {
      if (!buckets.has(bucket)) buckets.set(bucket, { sum: 0, count: 0 });
      return;
    }
    const b = buckets.get(bucket);
    if (b) {
      b.sum += value;
      b.count += 1;
    } else buckets.set(bucket, { sum: value, count: 1 });
  }

  series(): DeviceSeries[] {
    return [...this.byName].map(([name, buckets]) => ({
      name,
      points: [...buckets].map(([ts, b]) => ({
        ts,
        bytesPerSec: b.count > 0 ? b.sum / b.count : null,
      })),
    }));
  }
}

const namesOf = (json: string | null): string[] => {
  if (!json) return [];
  try {
    const parsed: unknown = JSON.parse(json);
    return Array.isArray(parsed) ? parsed.map(String) : [];
  } catch {
    return [];
  }
};

/**
 * Each disk's and each interface's traffic of one host or VM over [from, to), in at
 * most maxPoints buckets, from the raw samples' device columns. A VM with one disk and
 * one NIC stores no device row (they equal the totals), so its one device is read from
 * the totals under the name the VM's row keeps.
 */
export function deviceRangeQuery(
  db: Database,
  retention: RetentionConfig,
  now: number,
  q: DeviceRangeQuery,
): DeviceRangeResult {
  assertRange(q.from, q.to);
  assertMaxPoints(q.maxPoints);
  const entity = resolveEntity(db, q.entity);
  // Raw samples are one a second at most: finer buckets would only repeat them.
  const bucketMs = Math.max(1000, Math.ceil((q.to - q.from) / q.maxPoints));
  const keptFromMs = now - retention.rawMs;
  const from = Math.max(q.from, keptFromMs);
  const disks = new DeviceBuckets();
  const nics = new DeviceBuckets();
  const result = (): DeviceRangeResult => ({
    bucketMs,
    keptFromMs,
    disks: disks.series(),
    nics: nics.series(),
  });
  if (from >= q.to) return result();

  const names =
    entity.kind === 'vm'
      ? (db.prepare('SELECT disk_devices AS d, nics AS n FROM vms WHERE id = ?').get(entity.id) as {
          d: string | null;
          n: string | null;
        })
      : { d: null, n: null };
  const singleNames = { disks: namesOf(names.d), nics: namesOf(names.n) };
  // The totals stand for a VM's single disk and NIC.
  const totals = pickMetrics(entity.kind, [
    'diskReadBytesPerSec',
    'diskWriteBytesPerSec',
    'netRxBytesPerSec',
    'netTxBytesPerSec',
  ]);
  const rows = db
    .prepare(
      sampleRangeSql(
        entity.kind,
        `s.ts, s.detail, ${totals.map((m) => `s.${m.column}`).join(', ')}`,
        'ORDER BY s.ts',
      ),
    )
    .raw()
    .iterate(sampleRangeParams(entity.id, from, q.to)) as IterableIterator<
    [number, string | null, number | null, number | null, number | null, number | null]
  >;
  for (const [ts, detail, ...stored] of rows) {
    const bucket = q.from + Math.floor((ts - q.from) / bucketMs) * bucketMs;
    const total = (i: number) => decodeMetric(stored[i] ?? null, totals[i]?.scale ?? 1);
    const devices =
      entity.kind === 'vm'
        ? decodeVmDetail(
            detail,
            {
              disk: {
                readBytesPerSec: total(0),
                writeBytesPerSec: total(1),
                readIops: null,
                writeIops: null,
              },
              net: {
                rxBytesPerSec: total(2),
                txBytesPerSec: total(3),
                rxPacketsPerSec: null,
                txPacketsPerSec: null,
              },
            },
            singleNames,
          )
        : decodeHostDetail(detail);
    for (const d of devices.disks) {
      disks.add(d.device, bucket, sumKnown(d.readBytesPerSec, d.writeBytesPerSec));
    }
    for (const n of devices.nics) {
      nics.add(n.interface, bucket, sumKnown(n.rxBytesPerSec, n.txBytesPerSec));
    }
  }
  return result();
}
