import { describe, expect, it } from 'vitest';
import { valueTicks } from '../../../src/renderer/detail/value-ticks';

const MiB = 1024 ** 2;
const GiB = 1024 ** 3;

describe('valueTicks', () => {
  it('steps counts and rates by 1, 2 or 5 × 10ⁿ, up to a round top', () => {
    expect(valueTicks(1840, 'decimal')).toEqual([0, 500, 1000, 1500, 2000]);
    expect(valueTicks(100, 'decimal')).toEqual([0, 20, 40, 60, 80, 100]);
    expect(valueTicks(0.3, 'decimal')).toEqual([0, 0.1, 0.2, 0.3]);
  });

  it('steps memory by powers of two, never at 95 or 114 MiB', () => {
    expect(valueTicks(134 * MiB, 'binary')).toEqual([0, 32, 64, 96, 128, 160].map((v) => v * MiB));
    expect(valueTicks(1.1 * GiB, 'binary')).toEqual(
      [0, 256, 512, 768, 1024, 1280].map((v) => v * MiB),
    );
    for (const tick of valueTicks(6.3 * GiB, 'binary')) expect(tick % GiB).toBe(0);
  });

  it('gives an empty graph an axis still', () => {
    expect(valueTicks(0, 'decimal')).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
  });

  it('gives any top from 3 to 7 labels', () => {
    for (const steps of ['decimal', 'binary'] as const) {
      for (let top = 0.7; top < 1e12; top *= 1.13) {
        const ticks = valueTicks(top, steps);
        expect(ticks.length).toBeGreaterThanOrEqual(3);
        expect(ticks.length).toBeLessThanOrEqual(7);
        expect(ticks.at(-1)).toBeGreaterThanOrEqual(top);
      }
    }
  });
});
