import type { Database } from 'better-sqlite3';
import { resolveEntity } from './entity-ref';
import type { EntityRef, ResolvedEntity } from './entity-ref';
import { decodeMetric, hostMetrics, vmMetrics } from './metrics';
import { sampleRangeParams, sampleRangeSql } from './sample-range';
import { assertRange } from './range-checks';
import { ExportWriter, type ExportFormat } from './export-writer';

export type { ExportFormat } from './export-writer';

/** What an export was of, and how many samples it wrote. */
export interface ExportedRange {
  rows: number;
  /** The host's or the VM's name. */
  name: string;
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
 * Writes the raw samples of one host or VM in [from, to) in the export layout
 * (ExportWriter). Rows are read with an iterator, so a long range streams instead of
 * filling memory.
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
  const metrics = entity.kind === 'vm' ? vmMetrics : hostMetrics;
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
  const writer = new ExportWriter(
    format,
    subject,
    metrics.map((m) => m.name),
    write,
  );
  for (const row of rows) {
    writer.row(
      row[0] as number,
      metrics.map((m, i) => decodeMetric(row[i + 1] ?? null, m.scale)),
    );
  }
  const count = writer.end();
  return { rows: count, name: entity.name };
}
