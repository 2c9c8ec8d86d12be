import type { TimeUnit } from 'chart.js';
import { formatClock, formatDay, formatTime } from '../format';
import { DAY_MS, HOUR_MS, MINUTE_MS, SECOND_MS } from '../../shared/time-ms';

/** Spans up to `upTo` ms get a tick every `step` `unit`s: 2 to 9 labels each, mostly 4 to 8. */
const steps: { upTo: number; unit: TimeUnit; step: number }[] = [
  { upTo: 2 * MINUTE_MS, unit: 'second', step: 15 },
  { upTo: 4 * MINUTE_MS, unit: 'second', step: 30 },
  { upTo: 8 * MINUTE_MS, unit: 'minute', step: 1 },
  { upTo: 16 * MINUTE_MS, unit: 'minute', step: 2 },
  { upTo: 40 * MINUTE_MS, unit: 'minute', step: 5 },
  { upTo: 80 * MINUTE_MS, unit: 'minute', step: 10 },
  { upTo: 3 * HOUR_MS, unit: 'minute', step: 30 },
  { upTo: 8 * HOUR_MS, unit: 'hour', step: 1 },
  { upTo: 16 * HOUR_MS, unit: 'hour', step: 2 },
  { upTo: 36 * HOUR_MS, unit: 'hour', step: 4 },
  { upTo: 3 * DAY_MS, unit: 'hour', step: 12 },
  { upTo: 8 * DAY_MS, unit: 'day', step: 1 },
  { upTo: 16 * DAY_MS, unit: 'day', step: 2 },
  { upTo: 40 * DAY_MS, unit: 'day', step: 5 },
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

const unitMs: Partial<Record<TimeUnit, number>> = {
  second: SECOND_MS,
  minute: MINUTE_MS,
  hour: HOUR_MS,
  day: DAY_MS,
};

/**
 * Tick times in [min, max] on round local times: 12:50, 13:00, 13:10 for a 10-minute
 * step, midnights for days (chart.js counts the step from the first minute of the
 * range, giving 12:53, 13:03). Local: the step is counted from local midnight, so an
 * hour step lands on the hour in a zone 30 minutes off UTC too.
 */
export function alignedTicks(min: number, max: number, unit: TimeUnit, step: number): number[] {
  const size = unitMs[unit];
  if (size === undefined || !(max > min) || step <= 0) return [];
  const ticks: number[] = [];
  if (unit === 'day') {
    const day = new Date(min);
    day.setHours(0, 0, 0, 0);
    if (day.getTime() < min) day.setDate(day.getDate() + 1);
    // Days from the 1st of the month, so the labels stay put as the range moves.
    while (day.getTime() <= max) {
      if ((day.getDate() - 1) % step === 0) ticks.push(day.getTime());
      day.setDate(day.getDate() + 1);
    }
    return ticks;
  }
  const midnight = new Date(min);
  midnight.setHours(0, 0, 0, 0);
  const stepMs = size * step;
  const from = midnight.getTime() + Math.ceil((min - midnight.getTime()) / stepMs) * stepMs;
  for (let t = from; t <= max; t += stepMs) ticks.push(t);
  return ticks;
}

/**
 * A time axis label, from the console's Intl formatters rather than date-fns' English
 * patterns ("8PM", "8:50 오후"): days as "Dec 6", times as the page writes them
 * ("8:50 PM", "오후 8:50"), seconds only on an axis that steps by seconds.
 */
export function timeTickLabel(locale: string, ms: number, unit: TimeUnit): string {
  if (unit === 'day') return formatDay(locale, ms);
  if (unit === 'second') return formatClock(locale, ms);
  return formatTime(locale, ms);
}
