import {
  Chart,
  Decimation,
  Filler,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  TimeScale,
  Tooltip,
} from 'chart.js';
import 'chartjs-adapter-date-fns';
import zoomPlugin from 'chartjs-plugin-zoom';
import { useContext, useEffect, useRef, useState } from 'react';
import { ThemeContext } from '../use-theme';
import { cancelChartRedraw, queueChartRedraw } from './chart-update-queue';
import { formatDateTime } from '../format';
import { useI18n } from '../i18n/i18n';
import type { ChartPoint } from './series';
import { alignedTicks, timeTickLabel, timeTicksFor } from './time-ticks';
import { valueTicks } from './value-ticks';
import type { ValueSteps } from './value-ticks';

Chart.register(
  LineController,
  LineElement,
  PointElement,
  LinearScale,
  TimeScale,
  Tooltip,
  Decimation,
  Filler,
  zoomPlugin,
);

export interface ChartSeries {
  label: string;
  color: string;
  points: ChartPoint[];
}

interface Props {
  title: string;
  series: ChartSeries[];
  /**
   * How a value is written on the axis and in the tooltip; on the axis with the ticks'
   * step, so that labels a step apart never read alike.
   */
  format: (value: number, stepOf?: number) => string;
  /** How the value axis steps: 1-2-5 (default) or powers of two (memory). */
  steps?: ValueSteps;
  /** The x range shown, ms since the epoch. */
  fromMs: number;
  toMs: number;
  /** Fixed top of the y axis (100 for percentages); free when absent. */
  max?: number;
  /** The least top of a free axis, so an idle graph reads 0 to 1 kB/s, not 0 to 1 B/s. */
  floor?: number;
  /** Told the span the user zoomed into by a drag, and null when the zoom is reset. */
  onZoom?: (span: { fromMs: number; toMs: number } | null) => void;
}

function lastValue(points: readonly ChartPoint[]): number | null {
  for (let i = points.length - 1; i >= 0; i--) {
    const y = points[i]?.y;
    if (y !== null && y !== undefined) return y;
  }
  return null;
}

/**
 * Points are drawn only where a line cannot be: a series of a few values (an hour of
 * history on a 30-day graph is one or two hourly points) would otherwise draw nothing.
 */
function pointRadiusOf(points: readonly ChartPoint[]): number {
  let values = 0;
  for (const point of points) if (point.y !== null && ++values > 3) return 0;
  return 2.5;
}

const cssVar = (name: string): string =>
  getComputedStyle(document.documentElement).getPropertyValue(name).trim() || '#888';

/** Sets the time axis's unit and step for a span; true when they changed. */
function setTimeTicks(chart: Chart, spanMs: number): boolean {
  const x = chart.options.scales?.['x'];
  if (x?.type !== 'time' || !x.time || !x.ticks) return false;
  const { unit, stepSize } = timeTicksFor(spanMs);
  if (x.time.unit === unit && x.ticks.stepSize === stepSize) return false;
  x.time.unit = unit;
  x.ticks.stepSize = stepSize;
  return true;
}

/** Queues a chart's redraw without animation (one chart a task: chart-update-queue). */
function redrawSoon(chart: Chart<'line', ChartPoint[]>): void {
  // React removes an unmounted chart's canvas before its effects' cleanup destroys the
  // chart: a redraw queued in between would measure a detached canvas and throw.
  queueChartRedraw(chart, () => {
    if (chart.canvas?.isConnected) chart.update('none');
  });
}

/**
 * One live graph with a time axis. The chart is made once; new points replace the
 * datasets' arrays and redraw without animation, and the decimation plugin thins what a
 * long range holds to what the canvas can show, so an hour of 1 s points stays smooth.
 */
export function MetricChart(props: Props) {
  const { title, series, format, fromMs, toMs, max, floor, steps = 'decimal' } = props;
  const { language, locale, t } = useI18n();
  const theme = useContext(ThemeContext);
  const canvas = useRef<HTMLCanvasElement>(null);
  const chart = useRef<Chart<'line', ChartPoint[]> | null>(null);
  const formatRef = useRef(format);
  formatRef.current = format;
  const onZoomRef = useRef(props.onZoom);
  onZoomRef.current = props.onZoom;
  // Zoomed in by a drag: new points keep coming, but the x range stays the user's.
  const [zoomed, setZoomed] = useState(false);
  const zoomedRef = useRef(false);
  zoomedRef.current = zoomed;
  // A graph scrolled out of view is not redrawn (its data still follows); it is redrawn
  // once when it comes back. Until the observer's first answer it counts as in view.
  const inView = useRef(true);
  const stale = useRef(false);

  useEffect(() => {
    const element = canvas.current;
    if (!element || typeof IntersectionObserver === 'undefined') return;
    const observer = new IntersectionObserver((entries) => {
      inView.current = entries.some((entry) => entry.isIntersecting);
      if (inView.current && stale.current && chart.current) {
        stale.current = false;
        redrawSoon(chart.current);
      }
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  useEffect(() => {
    if (!canvas.current) return;
    const grid = cssVar('--border');
    const text = cssVar('--muted');
    chart.current = new Chart(canvas.current, {
      type: 'line',
      data: { datasets: [] },
      options: {
        animation: false,
        parsing: false,
        normalized: true,
        responsive: true,
        maintainAspectRatio: false,
        interaction: { mode: 'index', intersect: false },
        elements: { point: { radius: 0 }, line: { borderWidth: 1.6, tension: 0 } },
        scales: {
          x: {
            type: 'time',
            grid: { color: grid },
            // The layout is redone at every redraw: a few time labels (their unit and
            // step set from the span, see setTimeTicks), all of one width, measured
            // from a sample and never thinned one by one (autoSkip).
            time: { unit: 'minute' },
            // Round local times (12:50, 13:00), not counted from the range's first minute.
            afterBuildTicks: (scale) => {
              const { unit, stepSize } = timeTicksFor(scale.max - scale.min);
              scale.ticks = alignedTicks(scale.min, scale.max, unit, stepSize).map((value) => ({
                value,
              }));
            },
            ticks: {
              color: text,
              // Intl's, as every time of the page (format.ts), not date-fns' patterns.
              callback(value) {
                return timeTickLabel(locale, Number(value), timeTicksFor(this.max - this.min).unit);
              },
              maxRotation: 0,
              minRotation: 0,
              autoSkip: false,
              maxTicksLimit: 9,
              sampleSize: 4,
            },
          },
          y: {
            beginAtZero: true,
            // The data's top, not chart.js's decimal one: valueTicks rounds it up its way.
            bounds: 'data',
            grid: { color: grid },
            // A fixed top (100 %, the host's memory) stays the top, its ticks below it.
            afterBuildTicks: (scale) => {
              const fixedTop = (scale.options as { max?: number }).max;
              const ticks = valueTicks(scale.max, steps).filter(
                (value) => fixedTop === undefined || value <= fixedTop,
              );
              scale.ticks = ticks.map((value) => ({ value }));
              if (fixedTop === undefined) scale.max = ticks.at(-1) ?? scale.max;
            },
            // Every label measured: the widest ("100%") must fit.
            ticks: {
              color: text,
              callback: (value, _index, ticks) =>
                formatRef.current(Number(value), (ticks[1]?.value ?? 0) - (ticks[0]?.value ?? 0)),
            },
          },
        },
        plugins: {
          decimation: { enabled: true, algorithm: 'lttb', samples: 400 },
          zoom: {
            zoom: {
              mode: 'x',
              drag: { enabled: true, backgroundColor: 'rgba(37, 99, 235, 0.15)' },
              onZoomComplete: ({ chart: zoomedChart }) => {
                const { min, max } = zoomedChart.scales['x'] ?? { min: 0, max: 0 };
                if (setTimeTicks(zoomedChart, max - min)) zoomedChart.update('none');
                setZoomed(true);
                onZoomRef.current?.({ fromMs: min, toMs: max });
              },
            },
          },
          // The caption names the series, with their latest values.
          legend: { display: false },
          tooltip: {
            callbacks: {
              title: (items) =>
                items[0] === undefined ? '' : formatDateTime(locale, items[0].parsed.x ?? 0),
              label: (item) =>
                `${item.dataset.label ?? ''}: ${formatRef.current(item.parsed.y ?? 0)}`,
            },
          },
        },
      },
    });
    return () => {
      if (chart.current) cancelChartRedraw(chart.current);
      chart.current?.destroy();
      chart.current = null;
    };
    // Colours, the locale and the steps are read when the chart is made: a new theme or
    // language makes it anew.
  }, [language, locale, theme, steps]);

  useEffect(() => {
    const current = chart.current;
    if (!current) return;
    const datasets = current.data.datasets;
    // A line that goes from a few points to many (or back) is made anew: chart.js keeps
    // an element's resolved options, so a changed radius alone would not be drawn.
    const same =
      datasets.length === series.length &&
      series.every(
        (s, i) =>
          datasets[i]?.label === s.label &&
          datasets[i]?.borderColor === s.color &&
          datasets[i]?.pointRadius === pointRadiusOf(s.points),
      );
    if (same) {
      // The same lines with new points: only the data changes, so chart.js keeps its
      // dataset controllers instead of linking them anew at every sample.
      series.forEach((s, i) => {
        const dataset = datasets[i];
        if (dataset) dataset.data = s.points;
      });
    } else {
      current.data.datasets = series.map((s) => ({
        label: s.label,
        data: s.points,
        borderColor: s.color,
        backgroundColor: `${s.color}22`,
        pointRadius: pointRadiusOf(s.points),
        fill: false,
        spanGaps: false,
      }));
    }
    const x = current.options.scales?.['x'];
    if (x && !zoomedRef.current) {
      x.min = fromMs;
      x.max = toMs;
      setTimeTicks(current, toMs - fromMs);
    }
    const y = current.options.scales?.['y'];
    if (y) {
      y.max = max;
      y.suggestedMax = floor;
    }
    if (inView.current) redrawSoon(current);
    else stale.current = true;
  }, [series, fromMs, toMs, max, floor, language, theme]);

  return (
    <figure className="chart-card">
      <figcaption>
        <span className="chart-title">{title}</span>
        {/* The latest value of each series, in words: what the eye reads first. */}
        {series.map((s) => {
          const latest = lastValue(s.points);
          return (
            <span key={s.label} className="chart-latest" data-series={s.label}>
              <span className="chart-swatch" style={{ background: s.color }} aria-hidden="true" />
              {s.label} {latest === null ? '—' : format(latest)}
            </span>
          );
        })}
        {zoomed && (
          <button
            type="button"
            className="button-small"
            onClick={() => {
              setZoomed(false);
              onZoomRef.current?.(null);
              const current = chart.current;
              if (current) {
                current.resetZoom('none');
                const { min, max } = current.scales['x'] ?? { min: 0, max: 0 };
                if (setTimeTicks(current, max - min)) current.update('none');
              }
            }}
          >
            {t('chart.resetZoom')}
          </button>
        )}
      </figcaption>
      <div className="chart-box">
        <canvas ref={canvas} role="img" aria-label={title} />
      </div>
    </figure>
  );
}
