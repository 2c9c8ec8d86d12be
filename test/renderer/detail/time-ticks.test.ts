import { describe, expect, it } from 'vitest';
import { timeTicksFor } from '../../../src/renderer/detail/time-ticks';

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
