import { useMemo, useState } from 'react';
import type { ReactNode } from 'react';
import type { ContractClient } from '../../shared/contract/browser';
import { formatByteRate } from '../format';
import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/messages';
import { ExportButton } from './export-button';
import { MetricChart } from './metric-chart';
import { RangePicker } from './range-picker';
import type { Range } from './series';
import { useMetricSeries } from './use-metric-series';
import type { SeriesSource } from './use-metric-series';

/** One graph of a detail page: its series by metric name. */
export interface ChartSpec {
  title: MessageKey;
  format: (value: number) => string;
  max?: number;
  floor?: number;
  series: { metric: string; label: MessageKey; color: string }[];
}

interface Props {
  client: ContractClient;
  title: string;
  /** Beside the title: state, host. */
  badges: ReactNode;
  source: SeriesSource;
  charts: ChartSpec[];
  /** Below the graphs: inventory facts, devices. */
  children: ReactNode;
  onBack: () => void;
  backLabel: string;
}

/** A host's or VM's page: graphs over a range (live or the history), export, and details. */
export function DetailPage(props: Props) {
  const { client, title, badges, source, charts, children, onBack, backLabel } = props;
  const { t } = useI18n();
  const [range, setRange] = useState<Range>('live');
  const { series, fromMs, toMs, error } = useMetricSeries(client, source, range);
  // New arrays only when the data did: a re-render for another reason (the fleet's
  // snapshot) must not redraw four charts.
  const lines = useMemo(
    () =>
      charts.map((chart) =>
        chart.series.map((s) => ({
          label: t(s.label),
          color: s.color,
          points: series[s.metric] ?? [],
        })),
      ),
    [charts, series, t],
  );
  return (
    <section className="detail" aria-labelledby="detail-title">
      <header className="detail-header">
        <button type="button" onClick={onBack}>
          ← {backLabel}
        </button>
        <h1 id="detail-title">{title}</h1>
        {badges}
        <span className="spacer" />
        <ExportButton client={client} entity={source.entity} fromMs={fromMs} toMs={toMs} />
        <RangePicker range={range} onRange={setRange} />
      </header>
      <p className="muted chart-hint">{t('chart.zoomHint')}</p>
      {error && (
        <div className="banner banner-error" role="alert">
          {t('history.failed', { message: error })}
        </div>
      )}
      <div className="chart-grid">
        {charts.map((chart, index) => (
          <MetricChart
            key={chart.title}
            title={t(chart.title)}
            format={chart.format}
            {...(chart.max === undefined ? {} : { max: chart.max })}
            {...(chart.floor === undefined ? {} : { floor: chart.floor })}
            fromMs={fromMs}
            toMs={toMs}
            series={lines[index] ?? []}
          />
        ))}
      </div>
      <div className="detail-columns">{children}</div>
    </section>
  );
}

/** The disk and network graphs, the same for a host and a VM (the history's names). */
export function ioCharts(locale: string): ChartSpec[] {
  const rate = (v: number) => formatByteRate(locale, v);
  return [
    {
      title: 'chart.disk',
      format: rate,
      floor: 1000,
      series: [
        { metric: 'diskReadBytesPerSec', label: 'series.diskRead', color: '#7c3aed' },
        { metric: 'diskWriteBytesPerSec', label: 'series.diskWrite', color: '#db2777' },
      ],
    },
    {
      title: 'chart.net',
      format: rate,
      floor: 1000,
      series: [
        { metric: 'netRxBytesPerSec', label: 'series.netRx', color: '#0891b2' },
        { metric: 'netTxBytesPerSec', label: 'series.netTx', color: '#ea580c' },
      ],
    },
  ];
}

/** A titled panel of a detail page. */
export function DetailPanel({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section className="panel">
      <header className="panel-header">
        <h2>{title}</h2>
      </header>
      {children}
    </section>
  );
}
