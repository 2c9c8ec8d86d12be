import { describe, expect, it } from 'vitest';
import { percentile, percentilesInPlace, Series } from '../../src/analysis/percentiles';
import { makeRandom } from '../store/sample-factory';

/** The definition: sort, then interpolate between the two ranks around p × (n − 1). */
function bySorting(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = p * (sorted.length - 1);
  const low = Math.floor(rank);
  const a = sorted[low] as number;
  const b = sorted[Math.ceil(rank)] as number;
  return a + (b - a) * (rank - low);
}

describe('percentiles by selection', () => {
  it('agrees with sorting on random, sorted, reversed and constant series of every length', () => {
    const rand = makeRandom(3);
    const ps = [0, 0.05, 0.5, 0.9, 0.95, 0.99, 1];
    for (let n = 1; n <= 300; n += n < 20 ? 1 : 37) {
      const shapes = [
        Array.from({ length: n }, () => rand() * 1000),
        Array.from({ length: n }, (_, i) => i),
        Array.from({ length: n }, (_, i) => n - i),
        Array.from({ length: n }, () => 7),
        Array.from({ length: n }, () => Math.floor(rand() * 3)),
      ];
      for (const values of shapes) {
        const got = percentilesInPlace(Float64Array.from(values), values.length, ps);
        got.forEach((v, i) => expect(v).toBeCloseTo(bySorting(values, ps[i] as number), 9));
        // Asked in another order, the same answers.
        const reversed = percentilesInPlace(
          Float64Array.from(values),
          values.length,
          [...ps].reverse(),
        );
        expect(reversed.reverse()).toEqual(got);
      }
    }
  });

  it('interpolates, answers 0 for nothing, and a Series skips what is not a number', () => {
    expect(percentile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(percentile([], 0.9)).toBe(0);
    const series = new Series(1);
    for (const v of [3, null, NaN, 1, Infinity, 2]) series.push(v);
    expect(series.length).toBe(3);
    expect(series.max()).toBe(3);
    expect(series.percentiles([0, 0.5, 1])).toEqual([1, 2, 3]);
    expect(new Series(4).percentileOrNull(0.5)).toBeNull();
  });
});
