import type { Database } from 'better-sqlite3';
import { resolveEntity } from './entity-ref';
import type { EntityRef } from './entity-ref';
import { decodeMetric, hostMetrics, vmMetrics } from './metrics';
import { sampleRangeParams, sampleRangeSql } from './sample-range';
import { assertRange } from './range-checks';

export type ExportFormat = 'csv' | 'json';

/**
 * Writes the raw samples of one host or VM in [from, to) as CSV (one header line, one
 * line per sample, ISO time first) or JSON (an array of flat objects). Rows are read
 * with an iterator, so a long range streams instead of filling memory.
 */
export function exportRange(
  db: Database,
  ref: EntityRef,
  from: number,
  to: number,
  format: ExportFormat,
  write: (chunk: string) => void,
): number {
  assertRange(from, to);
  const entity = resolveEntity(db, ref);
  const metrics = entity.kind === 'vm' ? vmMetrics : hostMetrics;
  const names = ['time', 'ts', ...metrics.map((m) => m.name)];
  const rows = db
    .prepare(
      sampleRangeSql(
        entity.kind,
        `ts, ${metrics.map((m) => m.column).join(', ')}`,
        'ORDER BY s.ts',
      ),
    )
    .raw()
    .iterate(sampleRangeParams(entity.id, from, to)) as IterableIterator<(number | null)[]>;
  if (format === 'csv') write(names.join(',') + '\n');
  else write('[');
  let count = 0;
  for (const row of rows) {
    const ts = row[0] as number;
    const values = metrics.map((m, i) => decodeMetric(row[i + 1] ?? null, m.scale));
    if (format === 'csv') {
      write(
        [new Date(ts).toISOString(), ts, ...values.map((v) => (v === null ? '' : v))].join(',') +
          '\n',
      );
    } else {
      const record: Record<string, unknown> = { time: new Date(ts).toISOString(), ts };
      metrics.forEach((m, i) => (record[m.name] = values[i]));
      if (entity.kind === 'vm') record.uuid = entity.uuid;
      else record.host = entity.name;
      write((count > 0 ? ',\n' : '\n') + JSON.stringify(record));
    }
    count++;
  }
  if (format === 'json') write(count > 0 ? '\n]\n' : ']\n');
  return count;
}
