/**
 * Places remote readings on this process's performance.now() time base so that rate
 * intervals are right.
 *
 * Two clocks are at hand: the local arrival time of each reply (sub-millisecond, but it
 * carries the jitter of the network, sshd and the remote scheduler) and the remote
 * /proc/uptime read in the same reply (free of that jitter, but only 10 ms resolution,
 * so up to ±10 ms on an interval: ±1 % at 1 s). The interval we report is the local
 * one, clamped into the window the uptime allows (Δuptime ± 10 ms). Its error is at
 * most the latency jitter between the two replies, and never more than 20 ms whatever
 * the network does; on a LAN it is well under a millisecond.
 */
export class ReadingClock {
  private last: { monotonicMs: number; arrivalMs: number; uptimeMs: number } | null = null;

  constructor(private readonly uptimeResolutionMs = 10) {}

  /** The monotonic time to report for a reply that arrived at `arrivalMs` (performance.now()). */
  place(arrivalMs: number, remoteUptimeMs: number | null): number {
    const last = this.last;
    // Never step back, even across a reset of the time line.
    let monotonicMs = Math.max(arrivalMs, last?.monotonicMs ?? arrivalMs);
    if (last && remoteUptimeMs !== null && remoteUptimeMs >= last.uptimeMs) {
      const uptimeDelta = remoteUptimeMs - last.uptimeMs;
      const localDelta = arrivalMs - last.arrivalMs;
      const delta = Math.min(
        Math.max(localDelta, uptimeDelta - this.uptimeResolutionMs),
        uptimeDelta + this.uptimeResolutionMs,
      );
      monotonicMs = last.monotonicMs + Math.max(0, delta);
    }
    // An uptime that went backwards means the host rebooted: start a new time line.
    this.last =
      remoteUptimeMs === null ? null : { monotonicMs, arrivalMs, uptimeMs: remoteUptimeMs };
    return monotonicMs;
  }
}

/** The first field of /proc/uptime in ms, or null when it is not a number. */
export function uptimeMsOf(uptimeText: string): number | null {
  const match = /^\s*(\d+)(?:\.(\d{1,9}))?\s/.exec(uptimeText);
  if (!match) return null;
  const fraction = (match[2] ?? '').padEnd(3, '0').slice(0, 3);
  return Number(match[1]) * 1000 + Number(fraction);
}
