/**
 * How a graph's value axis steps: decimal (1, 2, 5 × 10ⁿ: percentages, counts and byte
 * rates, whose units are powers of 1000) or binary (2ⁿ: memory, sized in KiB, MiB,
 * GiB, so 32, 64, 96, 128 MiB rather than 40, 80, 120 MiB, which are 41.9 MB apart).
 */
export type ValueSteps = 'decimal' | 'binary';

/** About this many steps from 0 to the top: four to six labels, as the graphs' height holds. */
const STEPS_WANTED = 5;

/** The least round step of at least `rough`. */
function roundStep(rough: number, steps: ValueSteps): number {
  if (steps === 'binary') return 2 ** Math.ceil(Math.log2(rough));
  const power = 10 ** Math.floor(Math.log10(rough));
  const mantissa = [1, 2, 5, 10].find((m) => m * power >= rough * (1 - 1e-9)) ?? 10;
  return mantissa * power;
}

/**
 * The value axis's ticks from 0 to the first round value at or above `max`: 0, 500,
 * 1,000, 1,500, 2,000 for a top of 1,840 (chart.js's own steps, made for decimal
 * numbers, tick memory at 95 and 114 MiB, and its labels rounded to "1K, 1K, 2K").
 */
export function valueTicks(max: number, steps: ValueSteps): number[] {
  const top = Number.isFinite(max) && max > 0 ? max : 1;
  const step = roundStep(top / STEPS_WANTED, steps);
  const count = Math.ceil(top / step - 1e-9);
  // Multiplied, not added up, and rounded to 12 digits: 3 × 0.1 is not 0.3 in floating point.
  return Array.from({ length: count + 1 }, (_, i) => Number((i * step).toPrecision(12)));
}
