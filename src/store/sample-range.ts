import { MINUTE_MS } from '../shared/time-ms';
import type { EntityKind } from './metrics';

/** Width of the first key of the sample indexes (migration 002): one minute. */
export const INDEX_MINUTE_MS = MINUTE_MS;

/**
 * SQL reading one host's or VM's raw samples in [from, to), rows as `s`. The sample
 * indexes are keyed (ts / 60000, entity id), so the query walks the minutes of the range
 * and seeks each (CROSS JOIN keeps the minutes the outer loop): one short index range
 * per minute, never a scan of the other entities' samples.
 * Bind it with `sampleRangeParams` plus whatever named parameters `select` and `tail` use.
 */
export function sampleRangeSql(kind: EntityKind, select: string, tail = ''): string {
  const table = `${kind}_samples`;
  const minuteOf = `ts / ${INDEX_MINUTE_MS}`;
  // The walk is clipped to the minutes the table holds (two index probes), so an open
  // range such as an export from 1970 costs no more than the data.
  return `WITH RECURSIVE
    bounds(lo, hi) AS (SELECT
      max(@firstMinute, coalesce((SELECT min(${minuteOf}) FROM ${table}), @firstMinute)),
      min(@lastMinute, coalesce((SELECT max(${minuteOf}) FROM ${table}), @firstMinute - 1))),
    minute(m) AS (
      SELECT lo FROM bounds WHERE lo <= hi
      UNION ALL SELECT m + 1 FROM minute, bounds WHERE m < hi)
    SELECT ${select}
    FROM minute CROSS JOIN ${table} s
      ON s.${minuteOf} = minute.m AND s.${kind}_id = @entityId
    WHERE s.ts >= @from AND s.ts < @to ${tail}`;
}

export interface SampleRangeParams {
  firstMinute: number;
  lastMinute: number;
  entityId: number;
  from: number;
  to: number;
}

/** Parameters of `sampleRangeSql` for [from, to), ms since the epoch. */
export function sampleRangeParams(entityId: number, from: number, to: number): SampleRangeParams {
  const first = Math.floor(Math.max(0, from) / INDEX_MINUTE_MS);
  const last = Math.max(first, Math.ceil(to / INDEX_MINUTE_MS) - 1);
  return { firstMinute: first, lastMinute: last, entityId, from, to };
}
