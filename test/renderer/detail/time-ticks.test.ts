import { describe, expect, it } from 'vitest';
import { alignedTicks, timeTickLabel, timeTicksFor } from '../../../src/renderer/detail/time-ticks';

const unitMs = { second: 1000, minute: 60_000, hour: 3_600_000, day: 86_400_000 } as const;

describe('timeTicksFor', () => {
  it('gives every span from 30 s to 60 days between 2 and 9 ticks', () => {
    for (let span = 30_000; span <= 60 * 86_400_000; span *= 1.07) {
      const { unit, stepSize } = timeTicksFor(span);
      const ticks = span / (unitMs[unit as keyof typeof unitMs] * stepSize);
      expect(ticks, `${Math.round(span / 1000)} s as ${stepSize} ${unit}`).toBeGreaterThanOrEqual(
        2,
      );
      expect(ticks, `${Math.round(span / 1000)} s as ${stepSize} ${unit}`).toBeLessThanOrEqual(9);
    }
  });

  it("ticks the console's ranges in round steps", () => {
    expect(timeTicksFor(5 * 60_000)).toEqual({ unit: 'minute', stepSize: 1 });
    expect(timeTicksFor(3_600_000)).toEqual({ unit: 'minute', stepSize: 10 });
    expect(timeTicksFor(86_400_000)).toEqual({ unit: 'hour', stepSize: 4 });
    expect(timeTicksFor(7 * 86_400_000)).toEqual({ unit: 'day', stepSize: 1 });
    expect(timeTicksFor(30 * 86_400_000)).toEqual({ unit: 'day', stepSize: 5 });
  });
});

describe('alignedTicks', () => {
  // Local times, so the test holds in any time zone.
  const at = (d: number, h: number, m: number, sec = 0) =>
    new Date(2026, 11, d, h, m, sec).getTime();

  it('puts a 10-minute step on round local times within the range', () => {
    const ticks = alignedTicks(at(3, 12, 53, 20), at(3, 13, 53, 20), 'minute', 10);
    expect(ticks.map((t) => new Date(t).getMinutes())).toEqual([0, 10, 20, 30, 40, 50]);
    expect(new Date(ticks[0] as number).getHours()).toBe(13);
    expect(ticks.every((t) => t >= at(3, 12, 53, 20) && t <= at(3, 13, 53, 20))).toBe(true);
  });

  it('puts a live graph on whole minutes and 15-second steps on :00, :15, :30, :45', () => {
    expect(alignedTicks(at(3, 9, 0, 30), at(3, 9, 5, 30), 'minute', 1)).toHaveLength(5);
    const seconds = alignedTicks(at(3, 9, 0, 7), at(3, 9, 1, 7), 'second', 15);
    expect(seconds.map((t) => new Date(t).getSeconds())).toEqual([15, 30, 45, 0]);
  });

  it('puts days on local midnights, counted from the 1st of the month', () => {
    const week = alignedTicks(at(3, 10, 0), at(10, 10, 0), 'day', 1);
    expect(week.map((t) => new Date(t).getDate())).toEqual([4, 5, 6, 7, 8, 9, 10]);
    expect(week.every((t) => new Date(t).getHours() === 0)).toBe(true);
    const month = alignedTicks(at(1, 10, 0), at(30, 10, 0), 'day', 5);
    expect(month.map((t) => new Date(t).getDate())).toEqual([6, 11, 16, 21, 26]);
  });

  it('answers nothing for an empty range or a unit it does not step', () => {
    expect(alignedTicks(5, 5, 'minute', 1)).toEqual([]);
    expect(alignedTicks(0, 1e9, 'week', 1)).toEqual([]);
  });
});

describe('timeTickLabel', () => {
  const evening = new Date(2026, 11, 6, 20, 0, 0).getTime();

  it("labels hours as the page writes times, not date-fns' 8PM", () => {
    expect(timeTickLabel('en', evening, 'hour')).toBe('8:00 PM');
    expect(timeTickLabel('en', evening + 50 * 60_000, 'minute')).toBe('8:50 PM');
    expect(timeTickLabel('en', evening + 15_000, 'second')).toBe('8:00:15 PM');
    expect(timeTickLabel('en', evening, 'day')).toBe('Dec 6');
  });

  it('puts the half of the day first in Korean', () => {
    expect(timeTickLabel('ko', evening + 50 * 60_000, 'minute')).toMatch(/^(오후|PM) 8:50$/);
    expect(timeTickLabel('ko', evening, 'day')).toBe('12월 6일');
  });
});
