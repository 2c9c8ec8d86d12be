import type { HostFigures } from '../../shared/model/host-view';

/** The last 5 minutes of a host's headline figures, oldest first: the overview's sparklines. */
export interface HostTrend {
  ts: number[];
  cpuPercent: (number | null)[];
  memUsedPercent: (number | null)[];
  diskBytesPerSec: (number | null)[];
  netBytesPerSec: (number | null)[];
}

export const TREND_MS = 5 * 60_000;

export const emptyTrend = (): HostTrend => ({
  ts: [],
  cpuPercent: [],
  memUsedPercent: [],
  diskBytesPerSec: [],
  netBytesPerSec: [],
});

const trendKeys = ['cpuPercent', 'memUsedPercent', 'diskBytesPerSec', 'netBytesPerSec'] as const;

/** A trend's points, oldest first, with only the last 5 minutes kept; built in one pass. */
export function trendOf(points: readonly HostFigures[]): HostTrend {
  const trend = emptyTrend();
  for (const f of points) {
    if (trend.ts.length > 0 && (trend.ts.at(-1) as number) >= f.ts) continue;
    trend.ts.push(f.ts);
    trend.cpuPercent.push(f.cpuPercent);
    trend.memUsedPercent.push(f.memUsedPercent);
    trend.diskBytesPerSec.push(f.diskBytesPerSec);
    trend.netBytesPerSec.push(f.netBytesPerSec);
  }
  return withinWindow(trend);
}

/** The trend without what fell out of the 5 minutes before its last point. */
function withinWindow(trend: HostTrend): HostTrend {
  const last = trend.ts.at(-1);
  if (last === undefined) return trend;
  const from = trend.ts.findIndex((t) => t >= last - TREND_MS);
  if (from <= 0) return trend;
  const next = { ts: trend.ts.slice(from) } as HostTrend;
  for (const key of trendKeys) next[key] = trend[key].slice(from);
  return next;
}

/** Two trends as one: the newer one's points after the older one's last. */
export function joinTrends(older: HostTrend, newer: HostTrend): HostTrend {
  const last = older.ts.at(-1) ?? -Infinity;
  const from = newer.ts.findIndex((t) => t > last);
  if (from < 0) return older;
  const next = { ts: [...older.ts, ...newer.ts.slice(from)] } as HostTrend;
  for (const key of trendKeys) next[key] = [...older[key], ...newer[key].slice(from)];
  return withinWindow(next);
}

/** The trend with a poll's figures added. */
export const extendTrend = (trend: HostTrend, f: HostFigures): HostTrend =>
  joinTrends(trend, trendOf([f]));
