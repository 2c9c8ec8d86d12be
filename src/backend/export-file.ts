import type { Database } from 'better-sqlite3';
import type { ExportResult } from '../shared/contract/requests';
import type { EntityRef } from '../store/entity-ref';
import { exportRange } from '../store/export-range';
import type { ExportFormat } from '../store/export-range';
import { ContractError } from '../shared/contract/reply';

/** An export bigger than this is refused: the reply travels whole, over IPC or HTTP. */
export const MAX_EXPORT_CHARS = 64 * 1024 * 1024;

class ExportTooLarge extends Error {}

/** A file name that is safe on every system: what the entity is called, the range, the format. */
function fileNameOf(label: string, fromMs: number, toMs: number, format: ExportFormat): string {
  const stamp = (ms: number): string => new Date(ms).toISOString().replace(/[:.]/g, '-');
  const safe = label.replace(/[^\w.-]+/g, '_').slice(0, 80) || 'export';
  return `${safe}_${stamp(fromMs)}_${stamp(toMs)}.${format}`;
}

/**
 * A host's or VM's raw samples over [fromMs, toMs) as one CSV or JSON text, the store's
 * export format; refused past MAX_EXPORT_CHARS instead of filling memory.
 */
export function exportFile(
  db: Database,
  ref: EntityRef,
  label: string,
  fromMs: number,
  toMs: number,
  format: ExportFormat,
): ExportResult {
  const chunks: string[] = [];
  let size = 0;
  let rows: number;
  try {
    rows = exportRange(db, ref, fromMs, toMs, format, (chunk) => {
      size += chunk.length;
      if (size > MAX_EXPORT_CHARS) throw new ExportTooLarge();
      chunks.push(chunk);
    });
  } catch (error) {
    if (error instanceof ExportTooLarge) {
      throw new ContractError(
        'failed',
        `the export is over ${MAX_EXPORT_CHARS / 1024 / 1024} MiB: choose a shorter range`,
      );
    }
    throw error;
  }
  return {
    fileName: fileNameOf(label, fromMs, toMs, format),
    mimeType: format === 'csv' ? 'text/csv' : 'application/json',
    rows,
    content: chunks.join(''),
  };
}
