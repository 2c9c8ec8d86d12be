import { useState } from 'react';
import type { ContractClient, HistoryParams } from '../../shared/contract/browser';
import { formatDateTime } from '../format';
import { useI18n } from '../i18n/i18n';

interface Props {
  client: ContractClient;
  entity: HistoryParams['entity'];
  /** The span exported: the graphs' range, or the span a graph was zoomed into. */
  fromMs: number;
  toMs: number;
  zoomed: boolean;
}

/** Hands a file to the browser (or the app's window), which saves it or asks where. */
function saveFile(fileName: string, mimeType: string, content: string): void {
  const url = URL.createObjectURL(new Blob([content], { type: mimeType }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** The shown range (or zoomed span) of a host or VM as CSV or JSON, from the history. */
export function ExportButton({ client, entity, fromMs, toMs, zoomed }: Props) {
  const { t, locale } = useI18n();
  const [format, setFormat] = useState<'csv' | 'json'>('csv');
  const [busy, setBusy] = useState(false);
  const [said, setSaid] = useState<{ ok: boolean; text: string; title?: string } | null>(null);
  async function run(): Promise<void> {
    setBusy(true);
    setSaid(null);
    try {
      const file = await client.request('export', {
        entity,
        fromMs: Math.floor(fromMs),
        toMs: Math.ceil(toMs),
        format,
        // The file is named in the page's local time, as the graphs show it.
        utcOffsetMinutes: -new Date(fromMs).getTimezoneOffset(),
      });
      saveFile(file.fileName, file.mimeType, file.content);
      setSaid({ ok: true, text: t('export.done', { count: file.rows }), title: file.fileName });
    } catch (error) {
      // The backend's reason is English; the page says in its language what failed.
      const message = error instanceof Error ? error.message : String(error);
      setSaid({ ok: false, text: t('export.failed', { message }) });
    } finally {
      setBusy(false);
    }
  }
  return (
    <div className="export" role="group" aria-label={t('export.label')}>
      <select
        aria-label={t('export.format')}
        value={format}
        onChange={(event) => setFormat(event.target.value as 'csv' | 'json')}
      >
        <option value="csv">CSV</option>
        <option value="json">JSON</option>
      </select>
      <button
        type="button"
        onClick={() => void run()}
        disabled={busy}
        title={t(zoomed ? 'export.spanZoomed' : 'export.span', {
          from: formatDateTime(locale, fromMs),
          to: formatDateTime(locale, toMs),
        })}
      >
        {t('export.button', { format: format.toUpperCase() })}
      </button>
      {said && (
        <span
          className={said.ok ? 'muted' : 'error-text'}
          role={said.ok ? 'status' : 'alert'}
          {...(said.title ? { title: said.title } : {})}
        >
          {said.text}
        </span>
      )}
    </div>
  );
}
