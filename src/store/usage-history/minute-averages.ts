import type { HistoryResult } from '../../shared/contract/requests';

/** A metric's minute averages, oldest first, the minutes without a figure left out. */
export function minuteAverages(range: HistoryResult, metric: string): number[] {
  return range.points
    .map((p) => p.values[metric]?.avg)
    .filter((v): v is number => v !== undefined && Number.isFinite(v));
}
