/**
 * Increase of a monotonic counter between two readings, or null when it went
 * backwards (reboot, device replaced, a 32-bit kernel counter wrapping): such an
 * interval has no rate. Computed in bigint so counters past 2^53 stay exact; the
 * difference is then small enough for a number.
 */
export function counterDelta(previous: bigint, current: bigint): number | null {
  return current < previous ? null : Number(current - previous);
}

/** delta / seconds, null when there is no delta or no time passed. */
export function perSecond(delta: number | null, seconds: number): number | null {
  return delta === null || !(seconds > 0) ? null : delta / seconds;
}

/** Sum of the rates that exist; null when none does. */
export function sumRates(values: readonly (number | null)[]): number | null {
  let total: number | null = null;
  for (const value of values) if (value !== null) total = (total ?? 0) + value;
  return total;
}
