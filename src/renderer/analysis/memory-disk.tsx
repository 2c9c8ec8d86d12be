import { BarController, BarElement, CategoryScale, Chart, LinearScale, Tooltip } from 'chart.js';
import { useContext, useEffect, useRef, useState } from 'react';
import type { ContractClient } from '../../shared/contract/browser';
import type { MemorySizePeriod } from '../../shared/model/analysis-view';
import { formatByteRate, formatBytes, formatPerSecond, numberFormat } from '../format';
import { useI18n } from '../i18n/i18n';
import { ThemeContext } from '../use-theme';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Tooltip);

const cssVar = (name: string): string =>
  getComputedStyle(document.documentElement).getPropertyValue(name).trim() || '#888';

/** Average disk reads per memory size, one bar each. */
function ReadsBySize({ periods }: { periods: MemorySizePeriod[] }) {
  const { t, locale } = useI18n();
  const theme = useContext(ThemeContext);
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    if (!canvas.current) return;
    const text = cssVar('--muted');
    const grid = cssVar('--border');
    const chart = new Chart(canvas.current, {
      type: 'bar',
      data: {
        labels: periods.map((p) => formatBytes(locale, p.allocatedBytes)),
        datasets: [
          {
            label: t('analysis.fig13.readAvg'),
            data: periods.map((p) => p.readBytesPerSecAvg ?? 0),
            backgroundColor: '#2563eb',
          },
        ],
      },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        scales: {
          x: { ticks: { color: text }, grid: { color: grid } },
          y: {
            beginAtZero: true,
            // An idle disk reads 0 to 1 MB/s, not five labels of "0 B/s".
            suggestedMax: 1_000_000,
            ticks: {
              color: text,
              maxTicksLimit: 5,
              callback: (v) => formatByteRate(locale, Number(v)),
            },
            grid: { color: grid },
          },
        },
        plugins: {
          legend: { display: false },
          tooltip: {
            callbacks: { label: (item) => formatByteRate(locale, item.parsed.y ?? 0) },
          },
        },
      },
    });
    return () => chart.destroy();
  }, [periods, locale, t, theme]);
  return (
    <figure className="chart-card">
      <figcaption>
        <span className="chart-title">{t('analysis.fig13.chart')}</span>
      </figcaption>
      <div className="chart-box">
        <canvas ref={canvas} role="img" aria-label={t('analysis.fig13.chart')} />
      </div>
    </figure>
  );
}

/**
 * The paper's Fig. 13 for one VM, from its history: disk throughput in each period it
 * had a different memory size. With one size only, it says so: the table needs a resize.
 */
export function MemoryDisk({
  client,
  uuid,
  windowMs,
}: {
  client: ContractClient;
  uuid: string;
  windowMs: number;
}) {
  const { t, locale } = useI18n();
  const [periods, setPeriods] = useState<MemorySizePeriod[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let current = true;
    client.request('analysis.memoryVsDisk', { uuid, windowMs }).then(
      (got) => current && setPeriods(got),
      (e: unknown) => current && setError(e instanceof Error ? e.message : String(e)),
    );
    return () => {
      current = false;
    };
  }, [client, uuid, windowMs]);
  if (error) return <p className="error-text">{error}</p>;
  if (!periods) return <p className="muted">{t('analysis.chart.loading')}</p>;
  const number = numberFormat(locale);
  return (
    <section className="fig13" aria-label={t('analysis.fig13.title')}>
      <h3>{t('analysis.fig13.title')}</h3>
      {periods.length < 2 && <p className="muted">{t('analysis.fig13.oneSize')}</p>}
      {periods.length > 0 && (
        <div className="fig13-body">
          <div className="table-scroll">
            <table className="data-table" aria-label={t('analysis.fig13.title')}>
              <thead>
                <tr>
                  <th>{t('analysis.fig13.memory')}</th>
                  <th className="num">{t('analysis.fig13.minutes')}</th>
                  <th className="num">{t('analysis.fig13.readAvg')}</th>
                  <th className="num">{t('analysis.fig13.readP95')}</th>
                  <th className="num">{t('analysis.fig13.writeAvg')}</th>
                  <th className="num">{t('analysis.fig13.readIops')}</th>
                  <th className="num">{t('analysis.fig13.used')}</th>
                </tr>
              </thead>
              <tbody>
                {periods.map((p) => (
                  <tr key={p.allocatedBytes}>
                    <td>{formatBytes(locale, p.allocatedBytes)}</td>
                    <td className="num">{number.format(p.minutes)}</td>
                    <td className="num">{formatByteRate(locale, p.readBytesPerSecAvg)}</td>
                    <td className="num">{formatByteRate(locale, p.readBytesPerSecP95)}</td>
                    <td className="num">{formatByteRate(locale, p.writeBytesPerSecAvg)}</td>
                    <td className="num">{formatPerSecond(locale, p.readIopsAvg, 'IOPS')}</td>
                    <td className="num">{formatBytes(locale, p.guestUsedBytesAvg)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <ReadsBySize periods={periods} />
        </div>
      )}
    </section>
  );
}
