import type { Database } from 'better-sqlite3';
import { resolveEntity } from './entity-ref';
import type { EntityRef, ResolvedEntity } from './entity-ref';
import { decodeMetric, hostMetrics, vmMetrics } from './metrics';
import { sampleRangeParams, sampleRangeSql } from './sample-range';
import { assertRange } from './range-checks';

export type ExportFormat = 'csv' | 'json';

/** What an export was of, and how many samples it wrote. */
export interface ExportedRange {
  rows: number;
  /** The host's or the VM's name. */
  name: string;
}

/** A CSV field: quoted when it holds a comma, a quote or a line break (RFC 4180). */
function csvField(value: string | number | null): string {
  if (value === null) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * What each row says the samples are of: the host, or the VM (name, UUID) and the host
 * it is on now. A file opened alone, or pasted beside another, still says whose it is.
 */
function subjectOf(db: Database, entity: ResolvedEntity): Record<string, string | null> {
  if (entity.kind === 'host') return { host: entity.name };
  const row = db
    .prepare(
      `SELECT coalesce(h.label, h.name) AS host FROM vms v LEFT JOIN hosts h ON h.id = v.host_id
       WHERE v.id = ?`,
    )
    .get(entity.id) as { host: string | null } | undefined;
  return { vm: entity.name, uuid: entity.uuid, host: row?.host ?? null };
}

/**
 * Writes the raw samples of one host or VM in [from, to) as CSV (one header line, one
 * line per sample, ISO time first, then whose they are) or JSON (an array of flat
 * objects). Rows are read with an iterator, so a long range streams instead of filling
 * memory.
 */
export function exportRange(
  db: Database,
  ref: EntityRef,
  from: number,
  to: number,
  format: ExportFormat,
  write: (chunk: string) => void,
): ExportedRange {
  assertRange(from, to);
  const entity = resolveEntity(db, ref);
  const subject = subjectOf(db, entity);
  const subjectFields = Object.values(subject).map(csvField);
  const metrics = entity.kind === 'vm' ? vmMetrics : hostMetrics;
  const names = ['time', 'ts', ...Object.keys(subject), ...metrics.map((m) => m.name)];
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
        [new Date(ts).toISOString(), ts, ...subjectFields, ...values.map(csvField)].join(',') +
          '\n',
      );
    } else {
      const record: Record<string, unknown> = { time: new Date(ts).toISOString(), ts, ...subject };
      metrics.forEach((m, i) => (record[m.name] = values[i]));
      write((count > 0 ? ',\n' : '\n') + JSON.stringify(record));
    }
    count++;
  }
  if (format === 'json') write(count > 0 ? '\n]\n' : ']\n');
  return { rows: count, name: entity.name };
}
