import type { Database, Statement } from 'better-sqlite3';
import { MINUTE_MS, SECOND_MS } from '../../shared/time-ms';
import type { Value } from './outbox';

/**
 * How late a sample may be ingested after its time and still be in its bucket's first
 * average. Later ones are not lost: their bucket is averaged again and rewritten.
 */
export const BUCKET_GRACE_MS = 3 * SECOND_MS;
/** The most buckets of one entity averaged into one batch (a backlog is sent in parts). */
const MAX_BUCKETS_PER_BATCH = 360;

/** Where a stream of buckets stands: what is sent, by time and by sample id. */
export interface BucketMarks {
  /** Every bucket ending at or before this time (ms) was sent. */
  untilMs: number;
  /** Every sample with an id up to this one is in a bucket that was sent. */
  lastSampleId: number;
}

export interface BucketRead {
  /** One row per (entity, bucket), shaped as the raw rows: max id, entity id, key, bucket end, averages. */
  rows: Value[][];
  /**
   * Entities with samples not sent yet, closed bucket or not, and the newest of those
   * samples' id: their t1/t3 latest figures.
   */
  fresh: Map<number, number>;
  marks: BucketMarks;
  /** Closed buckets are still waiting beyond this batch. */
  more: boolean;
}

export interface BucketSource {
  /** host_samples or vm_samples, with its entity column and the entity table's join. */
  samples: 'host_samples' | 'vm_samples';
  entityColumn: 'host_id' | 'vm_id';
  /** The entity table joined as the outbox does, e.g. `JOIN vms v ON v.id = s.vm_id`. */
  join: string;
  /** The entity's key expression over that join, e.g. `v.uuid`. */
  key: string;
  /** An expression the raw rows carry after the metrics, if any (a host's address). */
  trailing?: string;
  /** Entity table, to size batches. */
  entities: 'hosts' | 'vms';
  /** Stored metric columns, in the raw rows' order. */
  columns: readonly string[];
}

/**
 * Averages of the raw samples per entity and bucket of `resolutionMs` (a bucket ends at
 * a multiple of it and holds the samples after the one before, up to and with its end),
 * for a central database kept at a coarser resolution than the local history.
 *
 * Only closed buckets are sent (their end BUCKET_GRACE_MS past), oldest first. A sample
 * that comes in after its bucket was sent is found by its id above the mark: its bucket
 * is averaged again from every local sample in it and written over the old row, so a
 * late sample changes the average and is never lost; a resend writes the same values.
 */
export class BucketReader {
  private readonly s: Record<
    'fresh' | 'window' | 'one' | 'firstAfter' | 'last' | 'count',
    Statement
  >;

  constructor(
    db: Database,
    private readonly source: BucketSource,
    private readonly resolutionMs: number,
  ) {
    if (!Number.isSafeInteger(resolutionMs) || resolutionMs <= 0)
      throw new TypeError(`resolution ${resolutionMs} ms is not a whole positive number`);
    const { samples, entityColumn, join, key, columns, trailing } = source;
    const r = resolutionMs;
    const bucket = `((s.ts + ${r - 1}) / ${r}) * ${r}`;
    const averages = columns.map((c) => `CAST(round(avg(s.${c})) AS INTEGER)`).join(', ');
    const select = `SELECT max(s.id), s.${entityColumn}, ${key}, ${bucket} AS bucket, ${averages}
      ${trailing === undefined ? '' : `, ${trailing}`} FROM ${samples} s ${join}`;
    this.s = {
      fresh: db.prepare(
        `SELECT s.${entityColumn} AS entity, ${bucket} AS bucket, max(s.id) AS newest
         FROM ${samples} s WHERE s.id > ? GROUP BY entity, bucket`,
      ),
      // The minute index (migration 002) narrows the range; ts bounds cut it exactly.
      window: db.prepare(
        `${select} WHERE s.ts / ${MINUTE_MS} BETWEEN ? AND ? AND s.ts > ? AND s.ts <= ?
         GROUP BY s.${entityColumn}, bucket`,
      ),
      one: db.prepare(
        `${select} WHERE s.ts / ${MINUTE_MS} BETWEEN ? AND ? AND s.${entityColumn} = ?
         AND s.ts > ? AND s.ts <= ? GROUP BY s.${entityColumn}, bucket`,
      ),
      firstAfter: db.prepare(`SELECT min(id) AS id FROM ${samples} WHERE id > ? AND ts > ?`),
      last: db.prepare(`SELECT max(id) AS id FROM ${samples}`),
      count: db.prepare(`SELECT count(*) AS n FROM ${source.entities}`),
    };
  }

  /** The next closed buckets after `marks`, and late ones again; call inside a read transaction. */
  read(marks: BucketMarks, limit: number, nowMs: number): BucketRead {
    const r = this.resolutionMs;
    const pending = this.s.fresh.all(marks.lastSampleId) as {
      entity: number;
      bucket: number;
      newest: number;
    }[];
    const fresh = new Map<number, number>();
    for (const p of pending) fresh.set(p.entity, Math.max(fresh.get(p.entity) ?? 0, p.newest));
    const closedUntil = Math.floor((nowMs - BUCKET_GRACE_MS) / r) * r;
    let from = marks.untilMs;
    if (from === 0) {
      // Never sent: start at the oldest bucket waiting.
      let oldest = Infinity;
      for (const p of pending) oldest = Math.min(oldest, p.bucket);
      from = Number.isFinite(oldest) ? oldest - r : closedUntil;
    }
    const entities = Math.max(1, (this.s.count.get() as { n: number }).n);
    const buckets = Math.min(MAX_BUCKETS_PER_BATCH, Math.max(1, Math.floor(limit / entities)));
    const to = Math.max(from, Math.min(closedUntil, from + buckets * r));
    const rows: Value[][] = [];
    if (to > from) {
      rows.push(
        ...(this.s.window
          .raw()
          .all(Math.floor(from / MINUTE_MS), Math.floor(to / MINUTE_MS), from, to) as Value[][]),
      );
    }
    // Samples that came in after their bucket was sent: that bucket again, whole.
    for (const late of pending) {
      if (late.bucket > from) continue;
      const start = late.bucket - r;
      rows.push(
        ...(this.s.one
          .raw()
          .all(
            Math.floor(start / MINUTE_MS),
            Math.floor(late.bucket / MINUTE_MS),
            late.entity,
            start,
            late.bucket,
          ) as Value[][]),
      );
    }
    const next = (this.s.firstAfter.get(marks.lastSampleId, to) as { id: number | null }).id;
    const lastSampleId =
      next === null
        ? Math.max(marks.lastSampleId, (this.s.last.get() as { id: number | null }).id ?? 0)
        : next - 1;
    return { rows, fresh, marks: { untilMs: to, lastSampleId }, more: to < closedUntil };
  }
}
