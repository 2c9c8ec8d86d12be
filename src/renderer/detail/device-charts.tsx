import { useContext, useMemo } from 'react';
import type { ContractClient, HistoryParams } from '../../shared/contract/browser';
import type { VmDiskUsage, VmNicUsage } from '../../shared/model/samples';
import { sumKnown } from '../../shared/model/sum-known';
import { formatByteRate, formatDateTime } from '../format';
import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/messages';
import { DetailRangeContext } from './detail-range';
import { MetricChart } from './metric-chart';
import { seriesColor } from './series-colors';
import { useDeviceSeries } from './use-device-series';
import type { LiveDevices } from './use-device-series';

interface Props {
  client: ContractClient;
  entity: HistoryParams['entity'];
  /** The latest pushed sample's time and devices; null before the first. */
  ts: number | null;
  disks: readonly VmDiskUsage[];
  nics: readonly VmNicUsage[];
}

/** A pushed sample's devices as the device series name them, read + write and rx + tx. */
function liveDevices(
  ts: number | null,
  disks: readonly VmDiskUsage[],
  nics: readonly VmNicUsage[],
): LiveDevices | null {
  if (ts === null) return null;
  const values: Record<string, number | null> = {};
  for (const d of disks)
    values[`disk:${d.device}`] = sumKnown(d.readBytesPerSec, d.writeBytesPerSec);
  for (const n of nics) values[`net:${n.interface}`] = sumKnown(n.rxBytesPerSec, n.txBytesPerSec);
  return { ts, values, disks: disks.map((d) => d.device), nics: nics.map((n) => n.interface) };
}

/**
 * Each disk's and each interface's traffic over the page's range, one line a device:
 * which disk or NIC the totals come from. From the history (kept as long as the raw
 * samples) and, live, from the samples pushed while the page is open. Shown for a kind
 * only where there are two devices or more (one would be the totals again).
 */
export function DeviceCharts({ client, entity, ts, disks, nics }: Props) {
  const { t, locale } = useI18n();
  const range = useContext(DetailRangeContext);
  // Memoised on the sample's time: the arrays are new with every sample, the values too.
  const latest = useMemo(() => liveDevices(ts, disks, nics), [ts]);
  const state = useDeviceSeries(client, entity, range, latest);
  const graphs = useMemo(() => {
    const graph = (kind: 'disk' | 'net', title: MessageKey, names: readonly string[]) => ({
      kind,
      title,
      shown: names.length > 1,
      lines: names.map((name, i) => ({
        label: name,
        color: seriesColor(i),
        points: state.series[`${kind}:${name}`] ?? [],
      })),
    });
    return [
      graph('disk', 'chart.byDisk', state.disks),
      graph('net', 'chart.byNic', state.nics),
    ].filter((g) => g.shown);
  }, [state.series, state.disks, state.nics]);
  if (graphs.length === 0 && !state.error) return null;
  const rate = (v: number, stepOf?: number) => formatByteRate(locale, v, stepOf);
  const kept = state.keptFromMs;
  return (
    <>
      {state.error && (
        <div className="banner banner-error" role="alert">
          {t('history.failed', { message: state.error })}
        </div>
      )}
      {kept !== null && state.fromMs < kept && graphs.length > 0 && (
        <p className="muted small">
          {t('chart.devicesKept', { time: formatDateTime(locale, kept) })}
        </p>
      )}
      <div className="chart-grid device-charts">
        {graphs.map((g) => (
          <MetricChart
            key={g.kind}
            title={t(g.title)}
            format={rate}
            floor={1000}
            fromMs={state.fromMs}
            toMs={state.toMs}
            series={g.lines}
          />
        ))}
      </div>
    </>
  );
}
