/**
 * Increase of a monotonic counter between two readings, or null when it went
 * backwards (reboot, device replaced, a 32-bit kernel counter wrapping): such an
 * interval has no rate. /proc counters come as bigint, so those past 2^53 stay exact
 * (the difference is then small enough for a number); libvirt's come as numbers.
 */
export function counterDelta(previous: bigint, current: bigint): number | null;
export function counterDelta(previous: number, current: number): number | null;
export function counterDelta(previous: bigint | number, current: bigint | number): number | null {
  if (current < previous) return null;
  return typeof current === 'bigint'
    ? Number(current - (previous as bigint))
    : current - (previous as number);
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
