/** One measured quantity of a benchmark: the project's figure next to its baseline's. */
export interface BenchResult {
  benchmark: string;
  /** What was measured, e.g. "CPU time per call (4 domains)". */
  metric: string;
  /** Unit of ours, baseline and target, e.g. "ms". */
  unit: string;
  /** The project's figure; null while the project has no implementation to measure. */
  ours: number | null;
  /** The baseline's figure, measured in the same run; null if it could not be measured. */
  baseline: number | null;
  /** What the baseline is, e.g. "virsh domstats --raw". */
  baselineName: string;
  better: 'lower' | 'higher';
  /** Bound on ours, in unit: met when ours is at or below it (lower) or at or above it (higher). */
  target?: number;
  /** Bound on ours / baseline: met when the ratio is at or below it (lower) or at or above it (higher). */
  targetRatio?: number;
  /** Free text shown under the table (sample counts, conditions). */
  note?: string;
}

/** What a bench/*.bench.ts file exports by default. */
export interface Benchmark {
  name: string;
  run(): Promise<BenchResult[]>;
}
