import { describe, expect, it } from 'vitest';
import { DecayingHistogram } from '../../src/analysis/decaying-histogram';

const DAY = 86_400_000;
const options = { firstBucketSize: 0.01, ratio: 1.05, maxValue: 16, halfLifeMs: DAY };

describe('DecayingHistogram', () => {
  it('answers percentiles within one bucket above the true value', () => {
    const h = new DecayingHistogram(options);
    for (let i = 1; i <= 1000; i++) h.add(i / 100, 0);
    for (const p of [0.5, 0.9, 0.95]) {
      const truth = p * 10;
      const got = h.percentile(p);
      expect(got).toBeGreaterThanOrEqual(truth - 0.01);
      expect(got).toBeLessThanOrEqual(truth * 1.05 + 0.02);
    }
    expect(new DecayingHistogram(options).percentile(0.9)).toBe(0);
  });

  it('counts a sample a half-life newer twice', () => {
    const h = new DecayingHistogram(options);
    // 100 samples of 1 vCPU a day ago against 100 of 3 vCPUs now: the newer weigh 2:1.
    for (let i = 0; i < 100; i++) h.add(1, 0);
    for (let i = 0; i < 100; i++) h.add(3, DAY);
    expect(h.percentile(0.3)).toBeLessThan(1.1);
    expect(h.percentile(0.4)).toBeGreaterThan(2.9);
  });

  it('stays finite over years of samples (weights are rescaled)', () => {
    const h = new DecayingHistogram(options);
    for (let day = 0; day < 3 * 365; day++) h.add(day % 7 === 0 ? 4 : 0.5, day * DAY);
    const p = h.percentile(0.99);
    expect(Number.isFinite(p)).toBe(true);
    expect(p).toBeGreaterThan(3.9);
    expect(h.percentile(0.5)).toBeLessThan(0.6);
  });

  it('puts values past the top into the last bucket and ignores what is not a number', () => {
    const h = new DecayingHistogram(options);
    h.add(1000, 0);
    h.add(Number.NaN, 0);
    h.add(1, Number.POSITIVE_INFINITY);
    expect(h.percentile(1)).toBeGreaterThanOrEqual(16);
    expect(() => new DecayingHistogram({ ...options, ratio: 1 })).toThrow(RangeError);
  });
});
