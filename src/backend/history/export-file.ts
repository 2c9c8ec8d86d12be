import type { ExportResult } from '../../shared/contract/requests';
import type { EntityRef } from '../../store/entity-ref';
import type { ExportFormat } from '../../store/export-range';
import type { Store } from '../../store/store';
import { ContractError } from '../../shared/contract/reply';

/** An export bigger than this is refused: the reply travels whole, over IPC or HTTP. */
export const MAX_EXPORT_CHARS = 64 * 1024 * 1024;

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
 * An export's text as it is written, for one reply: refused past MAX_EXPORT_CHARS
 * instead of filling memory, whichever history it is read from.
 */
export class ExportText {
  private readonly chunks: string[] = [];
  private size = 0;

  readonly write = (chunk: string): void => {
    this.size += chunk.length;
    if (this.size > MAX_EXPORT_CHARS) {
      throw new ContractError(
        'failed',
        `the export is over ${MAX_EXPORT_CHARS / 1024 / 1024} MiB: choose a shorter range`,
      );
    }
    this.chunks.push(chunk);
  };

  /** The reply: the file named by `name` and the range, in the page's local time. */
  reply(
    name: string,
    rows: number,
    q: { fromMs: number; toMs: number; format: ExportFormat; utcOffsetMinutes: number },
  ): ExportResult {
    return {
      fileName: exportFileName(name, q.fromMs, q.toMs, q.utcOffsetMinutes, q.format),
      mimeType: q.format === 'csv' ? 'text/csv' : 'application/json',
      rows,
      content: this.chunks.join(''),
    };
  }
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
  const text = new ExportText();
  const exported = store.exportRange(ref, fromMs, toMs, format, text.write);
  return text.reply(title ?? exported.name, exported.rows, {
    fromMs,
    toMs,
    format,
    utcOffsetMinutes,
  });
}
