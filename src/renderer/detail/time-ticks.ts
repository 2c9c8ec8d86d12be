import type { TimeUnit } from 'chart.js';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Spans up to `upTo` ms get a tick every `step` `unit`s: 2 to 9 labels each, mostly 4 to 8. */
const steps: { upTo: number; unit: TimeUnit; step: number }[] = [
  { upTo: 2 * MINUTE, unit: 'second', step: 15 },
  { upTo: 4 * MINUTE, unit: 'second', step: 30 },
  { upTo: 8 * MINUTE, unit: 'minute', step: 1 },
  { upTo: 16 * MINUTE, unit: 'minute', step: 2 },
  { upTo: 40 * MINUTE, unit: 'minute', step: 5 },
  { upTo: 80 * MINUTE, unit: 'minute', step: 10 },
  { upTo: 3 * HOUR, unit: 'minute', step: 30 },
  { upTo: 8 * HOUR, unit: 'hour', step: 1 },
  { upTo: 16 * HOUR, unit: 'hour', step: 2 },
  { upTo: 36 * HOUR, unit: 'hour', step: 4 },
  { upTo: 3 * DAY, unit: 'hour', step: 12 },
  { upTo: 8 * DAY, unit: 'day', step: 1 },
  { upTo: 16 * DAY, unit: 'day', step: 2 },
  { upTo: 40 * DAY, unit: 'day', step: 5 },
  { upTo: Infinity, unit: 'day', step: 10 },
];

/**
 * The time axis's unit and step for a span, ms. Left to itself, chart.js works out the
 * unit at every redraw by measuring a label, then generates a tick per second of a live
 * graph (300) and thins them: most of a redraw's scale work. Given here, a redraw makes
 * the few ticks it draws.
 */
export function timeTicksFor(spanMs: number): { unit: TimeUnit; stepSize: number } {
  const found = steps.find((s) => spanMs <= s.upTo) ?? (steps.at(-1) as (typeof steps)[number]);
  return { unit: found.unit, stepSize: found.step };
}
