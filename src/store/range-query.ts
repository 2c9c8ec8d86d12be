import type { Database, Statement } from 'better-sqlite3';
import { resolveEntity } from './entity-ref';
import type { EntityRef } from './entity-ref';
import { decodeMetric, pickMetrics } from './metrics';
import type { MetricDef } from './metrics';
import type { Maintainer } from './maintain';
import { HOUR_MS, MINUTE_MS } from '../shared/time-ms';
import type { RetentionConfig } from './retention';
import { sampleRangeParams, sampleRangeSql } from './sample-range';
import { assertMaxPoints, assertRange } from './range-checks';

export type Resolution = 'raw' | '1m' | '1h';

export interface RangeQuery {
  entity: EntityRef;
  /** Metric names from src/store/metrics.ts, e.g. cpuHostPercent. */
  metrics: string[];
  /** ms since the epoch, inclusive */
  from: number;
  /** ms since the epoch, exclusive */
  to: number;
  /** At most this many buckets come back. */
  maxPoints: number;
  /** Force a resolution; by default the coarsest that still gives maxPoints detail. */
  resolution?: Resolution;
}

export interface Aggregate {
  min: number;
  avg: number;
  max: number;
}

export interface RangePoint {
  /** Start of the bucket, ms since the epoch. */
  ts: number;
  /** Raw samples behind the bucket. */
  n: number;
  /** Per metric; null where the bucket had no value for it. */
  values: Record<string, Aggregate | null>;
}

export interface RangeResult {
  resolution: Resolution;
  bucketMs: number;
  points: RangePoint[];
}

interface Partial {
  n: number;
  min: (number | null)[];
  sum: (number | null)[];
  count: (number | null)[];
  max: (number | null)[];
}

/**
 * Chart data: picks the resolution from the bucket width and the retention, and fills
 * the buckets from the rollups where they exist and from the finer tables for the
 * recent part not rolled up yet, so a chart never has a hole at its right edge.
 */
export function rangeQuery(
  db: Database,
  maintainer: Maintainer,
  retention: RetentionConfig,
  now: number,
  q: RangeQuery,
): RangeResult {
  assertRange(q.from, q.to);
  assertMaxPoints(q.maxPoints);
  const entity = resolveEntity(db, q.entity);
  const defs = pickMetrics(entity.kind, q.metrics);
  const bucketMs = Math.ceil((q.to - q.from) / q.maxPoints);
  const resolution = q.resolution ?? pickResolution(bucketMs, q.from, now, retention);
  const buckets = new Map<number, Partial>();
  const minuteDone = maintainer.doneUntil(`${entity.kind}_1m`) ?? q.from;
  const hourDone = Math.min(maintainer.doneUntil(`${entity.kind}_1h`) ?? q.from, minuteDone);
  const sources: [table: string, rollup: boolean, from: number, to: number][] = [];
  if (resolution === 'raw') {
    sources.push([`${entity.kind}_samples`, false, q.from, q.to]);
  } else if (resolution === '1m') {
    sources.push([`${entity.kind}_rollup_1m`, true, q.from, Math.min(q.to, minuteDone)]);
    sources.push([`${entity.kind}_samples`, false, Math.max(q.from, minuteDone), q.to]);
  } else {
    sources.push([`${entity.kind}_rollup_1h`, true, q.from, Math.min(q.to, hourDone)]);
    sources.push([
      `${entity.kind}_rollup_1m`,
      true,
      Math.max(q.from, hourDone),
      Math.min(q.to, minuteDone),
    ]);
    sources.push([`${entity.kind}_samples`, false, Math.max(q.from, minuteDone), q.to]);
  }
  for (const [table, rollup, from, to] of sources) {
    if (from >= to) continue;
    collect(db, table, rollup, entity.kind, entity.id, defs, q.from, bucketMs, from, to, buckets);
  }
  const points = [...buckets.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([k, p]) => ({
      ts: q.from + k * bucketMs,
      n: p.n,
      values: Object.fromEntries(
        defs.map((def, i) => {
          const count = p.count[i] ?? 0;
          if (count === 0) return [def.name, null];
          return [
            def.name,
            {
              min: decodeMetric(p.min[i] ?? null, def.scale) as number,
              avg: (p.sum[i] ?? 0) / count / def.scale,
              max: decodeMetric(p.max[i] ?? null, def.scale) as number,
            },
          ];
        }),
      ),
    }));
  return { resolution, bucketMs, points };
}

function pickResolution(
  bucketMs: number,
  from: number,
  now: number,
  r: RetentionConfig,
): Resolution {
  if (bucketMs >= HOUR_MS || from < now - r.minuteMs) return '1h';
  if (bucketMs >= MINUTE_MS || from < now - r.rawMs) return '1m';
  return 'raw';
}

function collect(
  db: Database,
  table: string,
  rollup: boolean,
  kind: 'host' | 'vm',
  id: number,
  defs: readonly MetricDef<never>[],
  origin: number,
  bucketMs: number,
  from: number,
  to: number,
  into: Map<number, Partial>,
): void {
  const aggregates = defs.map((d) =>
    rollup
      ? `min(${d.column}_min), sum(${d.column}_avg * n), sum(CASE WHEN ${d.column}_avg IS NOT NULL THEN n END), max(${d.column}_max)`
      : `min(${d.column}), sum(${d.column}), count(${d.column}), max(${d.column})`,
  );
  // Rollups are keyed (entity, bucket): one range. Raw samples are keyed minute first.
  const sql = rollup
    ? `SELECT CAST((bucket - @origin) / @bucketMs AS INTEGER) AS k, sum(n) AS n, ${aggregates.join(', ')}
       FROM ${table} WHERE ${kind}_id = @entityId AND bucket >= @from AND bucket < @to GROUP BY k`
    : sampleRangeSql(
        kind,
        `CAST((ts - @origin) / @bucketMs AS INTEGER) AS k, count(*) AS n, ${aggregates.join(', ')}`,
        'GROUP BY k',
      );
  const rows = prepared(db, sql).all({
    ...sampleRangeParams(id, from, to),
    origin,
    bucketMs,
  }) as (number | null)[][];
  const metrics = defs.length;
  for (const row of rows) {
    const k = row[0] as number;
    let p = into.get(k);
    if (!p) {
      p = { n: 0, min: [], sum: [], count: [], max: [] };
      into.set(k, p);
    }
    p.n += (row[1] as number | null) ?? 0;
    for (let i = 0; i < metrics; i++) {
      const at = 2 + i * 4;
      p.min[i] = pickNum(p.min[i], row[at] ?? null, Math.min);
      p.sum[i] = (p.sum[i] ?? 0) + (row[at + 1] ?? 0);
      p.count[i] = (p.count[i] ?? 0) + (row[at + 2] ?? 0);
      p.max[i] = pickNum(p.max[i], row[at + 3] ?? null, Math.max);
    }
  }
}

/** A chart asks the same few shapes of query again and again: prepare each once. */
const statementCache = new WeakMap<Database, Map<string, Statement>>();

function prepared(db: Database, sql: string): Statement {
  let cache = statementCache.get(db);
  if (!cache) statementCache.set(db, (cache = new Map()));
  let stmt = cache.get(sql);
  if (!stmt) {
    if (cache.size >= 200) cache.clear();
    stmt = db.prepare(sql).raw();
    cache.set(sql, stmt);
  }
  return stmt;
}

function pickNum(
  a: number | null | undefined,
  b: number | null,
  f: (x: number, y: number) => number,
): number | null {
  if (a === null || a === undefined) return b;
  if (b === null) return a;
  return f(a, b);
}
