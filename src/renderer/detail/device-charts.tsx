import { useEffect, useMemo, useState } from 'react';
import type { VmDiskUsage, VmNicUsage } from '../../shared/model/samples';
import { formatByteRate } from '../format';
import { useI18n } from '../i18n/i18n';
import { MetricChart } from './metric-chart';
import { appendLive, rangeMs } from './series';
import type { ChartPoint } from './series';

/** Colours for devices, in turn; enough that a desktop's few devices never share one. */
const palette = ['#2563eb', '#db2777', '#16a34a', '#d97706', '#7c3aed', '#0891b2', '#dc2626'];

const plus = (a: number | null, b: number | null): number | null =>
  a === null || b === null ? null : a + b;

interface Props {
  /** The latest pushed sample's time and devices; null before the first. */
  ts: number | null;
  disks: readonly VmDiskUsage[];
  nics: readonly VmNicUsage[];
}

/**
 * Each disk's and each interface's traffic over the last 5 minutes, one line a device,
 * from the samples pushed while the page is open: which disk or NIC the totals come
 * from. Shown for a kind only where there are two devices or more (one would be the
 * totals again).
 */
export function DeviceCharts({ ts, disks, nics }: Props) {
  const { t, locale } = useI18n();
  const [series, setSeries] = useState<Record<string, ChartPoint[]>>({});
  useEffect(() => {
    if (ts === null) return;
    const values: Record<string, number | null> = {};
    for (const d of disks) values[`disk:${d.device}`] = plus(d.readBytesPerSec, d.writeBytesPerSec);
    for (const n of nics) values[`net:${n.interface}`] = plus(n.rxBytesPerSec, n.txBytesPerSec);
    setSeries((old) => appendLive(old, ts, values, rangeMs.live));
    // A sample's devices come with its time: ts alone says a new one is here.
  }, [ts]);
  const lines = useMemo(() => {
    const of = (kind: 'disk' | 'net', names: readonly string[]) =>
      names.map((name, i) => ({
        label: name,
        color: palette[i % palette.length] as string,
        points: series[`${kind}:${name}`] ?? [],
      }));
    return {
      disk: of(
        'disk',
        disks.map((d) => d.device),
      ),
      net: of(
        'net',
        nics.map((n) => n.interface),
      ),
    };
  }, [series, disks, nics]);
  if (ts === null) return null;
  const rate = (v: number) => formatByteRate(locale, v);
  const from = ts - rangeMs.live;
  return (
    <div className="chart-grid device-charts">
      {disks.length > 1 && (
        <MetricChart
          title={t('chart.byDisk')}
          format={rate}
          floor={1000}
          fromMs={from}
          toMs={ts}
          series={lines.disk}
        />
      )}
      {nics.length > 1 && (
        <MetricChart
          title={t('chart.byNic')}
          format={rate}
          floor={1000}
          fromMs={from}
          toMs={ts}
          series={lines.net}
        />
      )}
    </div>
  );
}
