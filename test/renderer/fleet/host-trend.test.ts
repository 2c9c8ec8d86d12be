import { describe, expect, it } from 'vitest';
import {
  emptyTrend,
  extendTrend,
  joinTrends,
  TREND_MS,
  trendOf,
} from '../../../src/renderer/fleet/host-trend';
import type { HostFigures } from '../../../src/shared/model/host-view';

const figures = (ts: number, cpuPercent: number | null = ts / 1000): HostFigures => ({
  ts,
  cpuPercent,
  memUsedPercent: 50,
  diskReadBytesPerSec: 1,
  diskWriteBytesPerSec: 2,
  netRxBytesPerSec: 3,
  netTxBytesPerSec: null,
  diskBytesPerSec: 3,
  netBytesPerSec: null,
});

describe('host trend', () => {
  it('keeps the last five minutes, oldest first, and sums the rates that are both known', () => {
    const points = Array.from({ length: 600 }, (_, i) => figures(i * 1000));
    const trend = trendOf(points);
    expect(trend.ts).toHaveLength(301);
    expect(trend.ts[0]).toBe(599_000 - TREND_MS);
    expect(trend.ts.at(-1)).toBe(599_000);
    expect(trend.cpuPercent.at(-1)).toBe(599);
    expect(trend.diskBytesPerSec.at(-1)).toBe(3);
    expect(trend.netBytesPerSec.at(-1)).toBeNull();
  });

  it('drops points that do not move time forward', () => {
    const trend = trendOf([figures(2000), figures(1000), figures(2000), figures(3000)]);
    expect(trend.ts).toEqual([2000, 3000]);
  });

  it('puts polls that came during a history read on top of the history, once each', () => {
    const history = trendOf([figures(1000), figures(2000), figures(3000)]);
    const live = trendOf([figures(2000, 99), figures(4000), figures(5000)]);
    const joined = joinTrends(history, live);
    expect(joined.ts).toEqual([1000, 2000, 3000, 4000, 5000]);
    expect(joined.cpuPercent[1]).toBe(2);
    expect(joinTrends(live, emptyTrend())).toBe(live);
  });

  it('extends without touching the trend it was given (rows are memoised on it)', () => {
    const before = trendOf([figures(1000)]);
    const after = extendTrend(before, figures(2000));
    expect(before.ts).toEqual([1000]);
    expect(after.ts).toEqual([1000, 2000]);
    expect(extendTrend(after, figures(1500))).toBe(after);
  });
});
