import type { HistoryResult } from '../../shared/contract/requests';
import { MINUTE_MS } from '../../shared/time-ms';

/** One point of a graph: time in ms, and the value or null for a gap. */
export interface ChartPoint {
  x: number;
  y: number | null;
}

export const ranges = ['live', '1h', '24h', '7d', '30d'] as const;
export type Range = (typeof ranges)[number];

export const rangeMs: Record<Range, number> = {
  live: 5 * MINUTE_MS,
  '1h': 60 * MINUTE_MS,
  '24h': 24 * 60 * MINUTE_MS,
  '7d': 7 * 24 * 60 * MINUTE_MS,
  '30d': 30 * 24 * 60 * MINUTE_MS,
};

/** Points a graph asks the history for: about one per pixel of a wide chart. */
export const HISTORY_POINTS = 600;

/** Figures made of others (used = total − available), per point. */
export type Derive = (values: Record<string, number | null>) => Record<string, number | null>;

/** Each metric's series of a history answer (the bucket averages), derived ones included. */
export function seriesOfHistory(
  history: HistoryResult,
  metrics: readonly string[],
  derive?: Derive,
): Record<string, ChartPoint[]> {
  const out: Record<string, ChartPoint[]> = {};
  for (const point of history.points) {
    let values: Record<string, number | null> = Object.fromEntries(
      metrics.map((metric) => [metric, point.values[metric]?.avg ?? null]),
    );
    if (derive) values = { ...values, ...derive(values) };
    for (const [metric, y] of Object.entries(values)) (out[metric] ??= []).push({ x: point.ts, y });
  }
  return out;
}

/**
 * Live series: the new sample's values appended, and what is older than the window
 * dropped from the front. The arrays are new, so React sees the change.
 */
export function appendLive(
  series: Record<string, ChartPoint[]>,
  ts: number,
  values: Record<string, number | null>,
  windowMs: number,
): Record<string, ChartPoint[]> {
  const from = ts - windowMs;
  const out: Record<string, ChartPoint[]> = {};
  for (const metric of new Set([...Object.keys(series), ...Object.keys(values)])) {
    const points = series[metric] ?? [];
    const kept = points[0] && points[0].x < from ? points.filter((p) => p.x >= from) : points;
    const last = kept.at(-1);
    out[metric] = last && last.x >= ts ? kept : [...kept, { x: ts, y: values[metric] ?? null }];
  }
  return out;
}

/** The time of the first point with a value in any series; null when none has one. */
export function firstValueMs(series: Record<string, ChartPoint[]>): number | null {
  let first: number | null = null;
  for (const points of Object.values(series)) {
    const point = points.find((p) => p.y !== null);
    if (point && (first === null || point.x < first)) first = point.x;
  }
  return first;
}
