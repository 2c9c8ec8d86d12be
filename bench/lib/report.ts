import type { BenchResult } from './types';

/** ours / baseline, or null where either is missing or the baseline is 0. */
export function ratio(result: BenchResult): number | null {
  const { ours, baseline } = result;
  if (ours === null || baseline === null || baseline === 0) return null;
  return ours / baseline;
}

/** Whether the row meets its targets: null when it has none or ours is not measured. */
export function targetMet(result: BenchResult): boolean | null {
  if (result.target === undefined && result.targetRatio === undefined) return null;
  if (result.ours === null) return null;
  const within = (value: number, bound: number) =>
    result.better === 'lower' ? value <= bound : value >= bound;
  if (result.target !== undefined && !within(result.ours, result.target)) return false;
  if (result.targetRatio !== undefined) {
    const r = ratio(result);
    if (r === null || !within(r, result.targetRatio)) return false;
  }
  return true;
}

function formatNumber(value: number | null): string {
  if (value === null) return '-';
  const abs = Math.abs(value);
  if (abs !== 0 && abs < 0.01) return value.toExponential(2);
  return abs >= 100 ? value.toFixed(0) : value.toFixed(2);
}

const headers = ['benchmark', 'metric', 'ours', 'baseline', 'ratio', 'target met?'] as const;

/** The results as a plain-text table, one row per result. */
export function formatTable(results: readonly BenchResult[]): string {
  const rows = results.map((r) => {
    const met = targetMet(r);
    const r0 = ratio(r);
    return [
      r.benchmark,
      `${r.metric} [${r.unit}]`,
      formatNumber(r.ours),
      `${formatNumber(r.baseline)} (${r.baselineName})`,
      r0 === null ? '-' : `${r0.toFixed(2)}x (${r.better} is better)`,
      met === null ? '-' : met ? 'yes' : 'NO',
    ];
  });
  const widths = headers.map((h, i) =>
    Math.max(h.length, ...rows.map((row) => row[i]?.length ?? 0)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

/** Checks that a value a benchmark returned is a well-formed BenchResult. */
export function validateResult(value: unknown, source: string): BenchResult {
  const r = value as Partial<BenchResult> | null;
  const problem = (what: string) => new TypeError(`${source}: result ${what}`);
  if (typeof r !== 'object' || r === null) throw problem('is not an object');
  for (const key of ['benchmark', 'metric', 'unit', 'baselineName'] as const) {
    if (typeof r[key] !== 'string' || r[key] === '') throw problem(`has no ${key}`);
  }
  for (const key of ['ours', 'baseline'] as const) {
    const v = r[key];
    if (v !== null && (typeof v !== 'number' || !Number.isFinite(v))) {
      throw problem(`${r.metric}: ${key} must be a finite number or null`);
    }
  }
  if (r.better !== 'lower' && r.better !== 'higher') throw problem(`${r.metric}: bad "better"`);
  return r as BenchResult;
}
