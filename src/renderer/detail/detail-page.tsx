import { useMemo, useState } from 'react';
import type { ReactNode } from 'react';
import type { ContractClient } from '../../shared/contract/browser';
import type { HostMetricName, MetricName, VmMetricName } from '../../shared/model/metric-names';
import type { VmSample } from '../../shared/model/samples';
import { formatByteRate, formatDateTime, formatPerSecond } from '../format';
import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/messages';
import { DetailRangeContext } from './detail-range';
import { ExportButton } from './export-button';
import { MetricChart } from './metric-chart';
import { RangePicker } from './range-picker';
import { firstValueMs, HISTORY_POINTS } from './series';
import type { ChartPoint, Range } from './series';
import { useMetricSeries } from './use-metric-series';
import type { SeriesSource } from './use-metric-series';
import type { ValueSteps } from './value-ticks';

/**
 * What a graph's series may be named: a stored metric, a figure a page derives of them
 * (used memory) or a level it draws (what the VMs were given).
 */
export type SeriesName = MetricName | 'memUsedBytes' | 'vmAllocatedBytes';

/** One graph of a detail page: its series by metric name. */
export interface ChartSpec {
  title: MessageKey;
  /** On the axis with the ticks' step (MetricChart). */
  format: (value: number, stepOf?: number) => string;
  /** How the value axis steps: 1-2-5 unless said (memory: powers of two). */
  steps?: ValueSteps;
  max?: number;
  floor?: number;
  /** A series with `constant` is a level across the graph (a figure known only now). */
  series: { metric: SeriesName; label: MessageKey; color: string; constant?: number }[];
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
  /** The range shown: the console keeps it in the link (route-url.ts). */
  range: Range;
  onRange: (range: Range) => void;
}

/**
 * Where a past range's history begins, when that is inside the range: a 30-day graph
 * of an hour-old history is a sliver at its right edge, easy to take for a blank graph.
 */
function HistoryStart(props: {
  series: Record<string, ChartPoint[]>;
  fromMs: number;
  toMs: number;
}) {
  const { t, locale } = useI18n();
  const firstMs = firstValueMs(props.series);
  if (firstMs === null) return <p className="muted small history-start">{t('chart.noHistory')}</p>;
  // A gap at the start shorter than one of the graph's points is no news.
  if (firstMs - props.fromMs < (props.toMs - props.fromMs) / HISTORY_POINTS) return null;
  return (
    <p className="muted small history-start">
      {t('chart.historyFrom', { time: formatDateTime(locale, firstMs) })}
    </p>
  );
}

/** A host's or VM's page: graphs over a range (live or the history), export, and details. */
export function DetailPage(props: Props) {
  const { client, title, badges, source, charts, children, onBack, backLabel, range, onRange } =
    props;
  const { t } = useI18n();
  const { series, fromMs, toMs, error } = useMetricSeries(client, source, range);
  // The span a graph was zoomed into by a drag: what the export then takes.
  const [zoom, setZoom] = useState<{ fromMs: number; toMs: number } | null>(null);
  // New arrays only when the data did: a re-render for another reason (the fleet's
  // snapshot) must not redraw four charts.
  const lines = useMemo(
    () =>
      charts.map((chart) =>
        chart.series.map((s) => ({
          label: t(s.label),
          color: s.color,
          points:
            s.constant === undefined
              ? (series[s.metric] ?? [])
              : [
                  { x: fromMs, y: s.constant },
                  { x: toMs, y: s.constant },
                ],
        })),
      ),
    [charts, series, t, fromMs, toMs],
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
        <ExportButton
          client={client}
          entity={source.entity}
          fromMs={zoom?.fromMs ?? fromMs}
          toMs={zoom?.toMs ?? toMs}
          zoomed={zoom !== null}
        />
        <RangePicker range={range} onRange={onRange} />
      </header>
      <p className="muted chart-hint">{t('chart.zoomHint')}</p>
      {error && (
        <div className="banner banner-error" role="alert">
          {t('history.failed', { message: error })}
        </div>
      )}
      {!error && range !== 'live' && <HistoryStart series={series} fromMs={fromMs} toMs={toMs} />}
      <div className="chart-grid">
        {charts.map((chart, index) => (
          <MetricChart
            key={chart.title}
            title={t(chart.title)}
            format={chart.format}
            {...(chart.steps === undefined ? {} : { steps: chart.steps })}
            {...(chart.max === undefined ? {} : { max: chart.max })}
            {...(chart.floor === undefined ? {} : { floor: chart.floor })}
            fromMs={fromMs}
            toMs={toMs}
            series={lines[index] ?? []}
            onZoom={setZoom}
          />
        ))}
      </div>
      <DetailRangeContext.Provider value={range}>
        <div className="detail-columns">{children}</div>
      </DetailRangeContext.Provider>
    </section>
  );
}

/** The history's names of what ioCharts draws, for a page's list of metrics. */
export const ioMetrics = [
  'diskReadBytesPerSec',
  'diskWriteBytesPerSec',
  'diskReadIops',
  'diskWriteIops',
  'netRxBytesPerSec',
  'netTxBytesPerSec',
  'netRxPacketsPerSec',
  'netTxPacketsPerSec',
] as const satisfies readonly (HostMetricName & VmMetricName)[];

/** A pushed sample's disk and network totals under ioMetrics' names. */
export function ioValuesOf({
  disk,
  net,
}: {
  disk: Pick<VmSample['disk'], 'readBytesPerSec' | 'writeBytesPerSec' | 'readIops' | 'writeIops'>;
  net: Pick<
    VmSample['net'],
    'rxBytesPerSec' | 'txBytesPerSec' | 'rxPacketsPerSec' | 'txPacketsPerSec'
  >;
}): Record<(typeof ioMetrics)[number], number | null> {
  return {
    diskReadBytesPerSec: disk.readBytesPerSec,
    diskWriteBytesPerSec: disk.writeBytesPerSec,
    diskReadIops: disk.readIops,
    diskWriteIops: disk.writeIops,
    netRxBytesPerSec: net.rxBytesPerSec,
    netTxBytesPerSec: net.txBytesPerSec,
    netRxPacketsPerSec: net.rxPacketsPerSec,
    netTxPacketsPerSec: net.txPacketsPerSec,
  };
}

/**
 * The disk and network graphs, the same for a host and a VM: bytes per second, and
 * operations and packets per second beside them (many small writes read as a low byte
 * rate and a high IOPS, which is what a desktop's disk feels like).
 */
export function ioCharts(locale: string): ChartSpec[] {
  const rate = (v: number, stepOf?: number) => formatByteRate(locale, v, stepOf);
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
      title: 'chart.iops',
      format: (v, stepOf) => formatPerSecond(locale, v, 'IOPS', stepOf),
      floor: 10,
      series: [
        { metric: 'diskReadIops', label: 'series.diskRead', color: '#7c3aed' },
        { metric: 'diskWriteIops', label: 'series.diskWrite', color: '#db2777' },
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
    {
      title: 'chart.packets',
      format: (v, stepOf) => formatPerSecond(locale, v, 'pkt/s', stepOf),
      floor: 10,
      series: [
        { metric: 'netRxPacketsPerSec', label: 'series.netRx', color: '#0891b2' },
        { metric: 'netTxPacketsPerSec', label: 'series.netTx', color: '#ea580c' },
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
