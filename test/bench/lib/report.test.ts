import { describe, expect, it } from 'vitest';
import { formatTable, ratio, targetMet, validateResult } from '../../../bench/lib/report';
import type { BenchResult } from '../../../bench/lib/types';

const row = (over: Partial<BenchResult>): BenchResult => ({
  benchmark: 'b',
  metric: 'cpu per call',
  unit: 'ms',
  ours: 5,
  baseline: 20,
  baselineName: 'virsh',
  better: 'lower',
  ...over,
});

describe('ratio and targets', () => {
  it('divides ours by baseline, null where either is missing or the baseline is 0', () => {
    expect(ratio(row({}))).toBe(0.25);
    expect(ratio(row({ ours: null }))).toBeNull();
    expect(ratio(row({ baseline: 0 }))).toBeNull();
  });

  it('checks absolute and ratio targets in the direction that is better', () => {
    expect(targetMet(row({}))).toBeNull();
    expect(targetMet(row({ target: 5 }))).toBe(true);
    expect(targetMet(row({ target: 4 }))).toBe(false);
    expect(targetMet(row({ targetRatio: 0.5 }))).toBe(true);
    expect(targetMet(row({ targetRatio: 0.1 }))).toBe(false);
    expect(targetMet(row({ better: 'higher', target: 4 }))).toBe(true);
    expect(targetMet(row({ better: 'higher', targetRatio: 0.5 }))).toBe(false);
    expect(targetMet(row({ ours: null, target: 1 }))).toBeNull();
  });
});

describe('formatTable', () => {
  it('prints one aligned row per result with ratio and target verdict', () => {
    const table = formatTable([row({ target: 4 }), row({ ours: null, metric: 'wall' })]);
    const lines = table.split('\n');
    expect(lines[0]).toMatch(/^benchmark\s+metric\s+ours\s+baseline\s+ratio\s+target met\?$/);
    expect(lines[2]).toContain('0.25x (lower is better)');
    expect(lines[2]).toMatch(/NO$/);
    expect(lines[3]).toMatch(/wall \[ms\]\s+-\s+20\.00 \(virsh\)\s+-\s+-$/);
  });
});

describe('validateResult', () => {
  it('accepts a well-formed row and rejects NaN, missing fields and bad directions', () => {
    expect(validateResult(row({}), 'x.bench.ts')).toEqual(row({}));
    expect(() => validateResult(row({ ours: Number.NaN }), 'x.bench.ts')).toThrow(/finite/);
    expect(() => validateResult({ ...row({}), metric: '' }, 'x.bench.ts')).toThrow(/metric/);
    expect(() => validateResult(row({ better: 'up' as 'lower' }), 'x.bench.ts')).toThrow(/better/);
    expect(() => validateResult(null, 'x.bench.ts')).toThrow(/not an object/);
  });
});
