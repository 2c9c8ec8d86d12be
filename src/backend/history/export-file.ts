import type { ExportResult } from '../../shared/contract/requests';
import type { EntityRef } from '../../store/entity-ref';
import type { ExportedRange, ExportFormat } from '../../store/export-range';
import type { Store } from '../../store/store';
import { ContractError } from '../../shared/contract/reply';

/** An export bigger than this is refused: the reply travels whole, over IPC or HTTP. */
export const MAX_EXPORT_CHARS = 64 * 1024 * 1024;

class ExportTooLarge extends Error {}

/**
 * A file name safe on every system, saying what it holds: the host's or VM's name (its
 * letters and digits in any script; anything a file system or a shell could take for
 * syntax becomes `_`), then the range in the page's local time to the minute, the end's
 * date left out when it is the start's: `desk-12_2026-12-06T2030-2130.csv`.
 */
export function exportFileName(
  name: string,
  fromMs: number,
  toMs: number,
  utcOffsetMinutes: number,
  format: ExportFormat,
): string {
  const local = (ms: number): string =>
    new Date(ms + utcOffsetMinutes * 60_000).toISOString().slice(0, 16).replace(':', '');
  const from = local(fromMs);
  const to = local(toMs);
  const end = to.slice(0, 10) === from.slice(0, 10) ? to.slice(11) : to;
  const safe = name.replace(/[^\p{L}\p{N}_-]+/gu, '_').slice(0, 80) || 'export';
  return `${safe}_${from}-${end}.${format}`;
}

/**
 * A host's or VM's raw samples over [fromMs, toMs) as one CSV or JSON text, the store's
 * export format; refused past MAX_EXPORT_CHARS instead of filling memory.
 */
export function exportFile(
  store: Store,
  ref: EntityRef,
  fromMs: number,
  toMs: number,
  format: ExportFormat,
  utcOffsetMinutes = 0,
  /** The name the file is named by, when not the history's (a host's saved name). */
  title?: string,
): ExportResult {
  const chunks: string[] = [];
  let size = 0;
  let exported: ExportedRange;
  try {
    exported = store.exportRange(ref, fromMs, toMs, format, (chunk) => {
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
    fileName: exportFileName(title ?? exported.name, fromMs, toMs, utcOffsetMinutes, format),
    mimeType: format === 'csv' ? 'text/csv' : 'application/json',
    rows: exported.rows,
    content: chunks.join(''),
  };
}
