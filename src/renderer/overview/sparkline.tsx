import { TREND_MS } from '../fleet/host-trend';

const WIDTH = 72;
const HEIGHT = 20;
/** A pause between two samples longer than this is a gap in the line, not a slope. */
const GAP_MS = 20_000;

/** A pixel column's highest value, and whether the line reaches it from the column before. */
interface Column {
  value: number;
  joined: boolean;
}

/**
 * A 5-minute trend drawn as one SVG line beside a figure. Not chart.js: the overview of
 * a hundred hosts would need four hundred canvases; these are a few hundred bytes each.
 * The five minutes end at the latest sample, so a host watched for a minute draws a
 * minute's line at the right, not two samples stretched over the whole width.
 */
export function Sparkline({
  ts,
  values,
  max,
  label,
}: {
  ts: readonly number[];
  values: readonly (number | null)[];
  /** The top of the scale (100 for %); the trend's own peak when absent. */
  max?: number;
  label: string;
}) {
  const last = ts.at(-1);
  if (last === undefined || !values.some((v) => v !== null)) {
    return <svg className="sparkline" width={WIDTH} height={HEIGHT} aria-hidden="true" />;
  }
  const from = last - TREND_MS;
  const peak = max ?? Math.max(1, ...values.map((v) => v ?? 0));
  // One point per pixel column (its highest value, so a spike stays visible): five
  // minutes of 1 s polls are 300 points for a 72-pixel line.
  const columns = new Map<number, Column>();
  let previousTs: number | null = null;
  values.forEach((value, i) => {
    const at = ts[i] as number;
    if (at < from) return;
    if (value === null) {
      previousTs = null;
      return;
    }
    const x = Math.round(((at - from) / TREND_MS) * WIDTH);
    const joined = previousTs !== null && at - previousTs <= GAP_MS;
    const column = columns.get(x);
    columns.set(x, {
      value: Math.max(column?.value ?? -Infinity, value),
      joined: column ? column.joined : joined,
    });
    previousTs = at;
  });
  const yOf = (value: number) =>
    (1 + (1 - Math.min(1, Math.max(0, value / peak))) * (HEIGHT - 2)).toFixed(1);
  const segments: string[][] = [];
  for (const [x, { value, joined }] of [...columns].sort(([a], [b]) => a - b)) {
    const point = `${x},${yOf(value)}`;
    const current = segments.at(-1);
    if (joined && current) current.push(point);
    else segments.push([point]);
  }
  return (
    <svg
      className="sparkline"
      width={WIDTH}
      height={HEIGHT}
      viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
      preserveAspectRatio="none"
      role="img"
      aria-label={label}
    >
      {segments.map((points, i) => {
        // A lone sample (the first poll, or one between gaps) is a dot, not nothing.
        if (points.length === 1) {
          const [x, y] = (points[0] as string).split(',');
          return <circle key={i} cx={x} cy={y} r={1.6} className="sparkline-dot" />;
        }
        return <polyline key={i} points={points.join(' ')} />;
      })}
    </svg>
  );
}
