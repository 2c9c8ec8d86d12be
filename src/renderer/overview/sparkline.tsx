const WIDTH = 72;
const HEIGHT = 20;

/**
 * A 5-minute trend drawn as one SVG line beside a figure. Not chart.js: the overview of
 * a hundred hosts would need four hundred canvases; these are a few hundred bytes each.
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
  const first = ts[0];
  const last = ts.at(-1);
  if (first === undefined || last === undefined || last <= first) {
    return <svg className="sparkline" width={WIDTH} height={HEIGHT} aria-hidden="true" />;
  }
  const peak = max ?? Math.max(1, ...values.map((v) => v ?? 0));
  // One point per pixel column (its highest value, so a spike stays visible): five
  // minutes of 1 s polls are 300 points for a 72-pixel line.
  const columns: (number | null)[] = new Array<number | null>(WIDTH + 1).fill(null);
  values.forEach((value, i) => {
    if (value === null) return;
    const column = Math.round((((ts[i] as number) - first) / (last - first)) * WIDTH);
    columns[column] = Math.max(columns[column] ?? -Infinity, value);
  });
  const segments: string[] = [];
  let current: string[] = [];
  columns.forEach((value, x) => {
    if (value === null) {
      if (current.length > 1) segments.push(current.join(' '));
      current = [];
      return;
    }
    const y = 1 - Math.min(1, Math.max(0, value / peak));
    current.push(`${x},${(1 + y * (HEIGHT - 2)).toFixed(1)}`);
  });
  if (current.length > 1) segments.push(current.join(' '));
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
      {segments.map((points, i) => (
        <polyline key={i} points={points} />
      ))}
    </svg>
  );
}
