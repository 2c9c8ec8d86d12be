import { useEffect, useMemo, useState } from 'react';
import type { VmDiskUsage, VmNicUsage } from '../../shared/model/samples';
import { formatByteRate } from '../format';
import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/messages';
import { MetricChart } from './metric-chart';
import { appendLive, rangeMs } from './series';
import type { ChartPoint } from './series';
import { sumKnown } from '../../shared/model/sum-known';

/** Colours for devices, in turn; enough that a desktop's few devices never share one. */
const palette = ['#2563eb', '#db2777', '#16a34a', '#d97706', '#7c3aed', '#0891b2', '#dc2626'];

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
    for (const d of disks)
      values[`disk:${d.device}`] = sumKnown(d.readBytesPerSec, d.writeBytesPerSec);
    for (const n of nics) values[`net:${n.interface}`] = sumKnown(n.rxBytesPerSec, n.txBytesPerSec);
    setSeries((old) => appendLive(old, ts, values, rangeMs.live));
    // A sample's devices come with its time: ts alone says a new one is here.
  }, [ts]);
  // One graph a kind, each device a line: disks by device, interfaces by name.
  const graphs = useMemo(() => {
    const graph = (kind: 'disk' | 'net', title: MessageKey, names: readonly string[]) => ({
      kind,
      title,
      shown: names.length > 1,
      lines: names.map((name, i) => ({
        label: name,
        color: palette[i % palette.length] as string,
        points: series[`${kind}:${name}`] ?? [],
      })),
    });
    return [
      graph(
        'disk',
        'chart.byDisk',
        disks.map((d) => d.device),
      ),
      graph(
        'net',
        'chart.byNic',
        nics.map((n) => n.interface),
      ),
    ];
  }, [series, disks, nics]);
  if (ts === null) return null;
  const rate = (v: number) => formatByteRate(locale, v);
  return (
    <div className="chart-grid device-charts">
      {graphs
        .filter((g) => g.shown)
        .map((g) => (
          <MetricChart
            key={g.kind}
            title={t(g.title)}
            format={rate}
            floor={1000}
            fromMs={ts - rangeMs.live}
            toMs={ts}
            series={g.lines}
          />
        ))}
    </div>
  );
}
