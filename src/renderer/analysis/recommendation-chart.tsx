import { useEffect, useState } from 'react';
import type { ContractClient } from '../../shared/contract/browser';
import type { Recommendation, VmAnalysis } from '../../shared/model/analysis-view';
import type { VmMetricName } from '../../shared/model/metric-names';
import { MetricChart } from '../detail/metric-chart';
import type { ChartSeries } from '../detail/metric-chart';
import { seriesOfHistory } from '../detail/series';
import type { ChartPoint } from '../detail/series';
import { formatBytes } from '../format';
import { useI18n } from '../i18n/i18n';

type Analysed = Extract<VmAnalysis, { status: 'analysed' }>;

const POINTS = 600;
/** The detail graphs' colours: what was used, what it has, what is advised. */
const CHART = { used: '#16a34a', given: '#64748b', advised: '#d97706' };

const flat = (fromMs: number, toMs: number, y: number): ChartPoint[] => [
  { x: fromMs, y },
  { x: toMs, y },
];

/**
 * The history behind one recommendation: used memory against what it has and what is
 * advised, or the vCPUs the guest kept busy against the same. `fromMs` is where its
 * history starts in the window, not the window's start: an hour of history is drawn
 * as an hour, not spread over a week with the given and advised lines across it.
 */
export function RecommendationChart({
  client,
  vm,
  recommendation,
  fromMs,
  toMs,
}: {
  client: ContractClient;
  vm: Analysed;
  recommendation: Recommendation;
  fromMs: number;
  toMs: number;
}) {
  const { t, locale } = useI18n();
  const memory = recommendation.kind === 'less-memory' || recommendation.kind === 'more-memory';
  const [points, setPoints] = useState<Partial<Record<VmMetricName, ChartPoint[]>> | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let current = true;
    const metrics: VmMetricName[] = memory
      ? ['memGuestUsedBytes', 'memAllocatedBytes']
      : ['cpuGuestPercent'];
    client
      .request('history', {
        entity: { kind: 'vm', uuid: vm.uuid },
        metrics,
        fromMs,
        toMs,
        maxPoints: POINTS,
      })
      .then(
        (history) => current && setPoints(seriesOfHistory(history, metrics)),
        (e: unknown) => current && setError(e instanceof Error ? e.message : String(e)),
      );
    return () => {
      current = false;
    };
  }, [client, vm.uuid, memory, fromMs, toMs]);

  if (error) return <p className="error-text">{t('analysis.chart.failed', { message: error })}</p>;
  if (!points) return <p className="muted">{t('analysis.chart.loading')}</p>;
  const advised = recommendation.to;
  const series: ChartSeries[] = memory
    ? [
        {
          label: t('analysis.chart.used'),
          color: CHART.used,
          points: points['memGuestUsedBytes'] ?? [],
        },
        {
          label: t('analysis.chart.allocated'),
          color: CHART.given,
          points: points['memAllocatedBytes'] ?? [],
        },
      ]
    : [
        {
          label: t('analysis.chart.busyVcpus'),
          color: CHART.used,
          points: (points['cpuGuestPercent'] ?? []).map((p) => ({
            x: p.x,
            y: p.y === null ? null : (p.y / 100) * vm.vcpus.allocated,
          })),
        },
        {
          label: t('analysis.chart.givenVcpus'),
          color: CHART.given,
          points: flat(fromMs, toMs, vm.vcpus.allocated),
        },
      ];
  if (advised !== undefined)
    series.push({
      label: t('analysis.chart.advised'),
      color: CHART.advised,
      points: flat(fromMs, toMs, advised),
    });
  return (
    <MetricChart
      title={memory ? t('analysis.chart.memory') : t('analysis.chart.vcpus')}
      series={series}
      format={memory ? (v) => formatBytes(locale, v) : (v) => v.toFixed(1)}
      fromMs={fromMs}
      toMs={toMs}
    />
  );
}
