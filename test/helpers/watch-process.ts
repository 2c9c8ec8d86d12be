/** What `watchProcess` saw while its task ran. */
export interface ProcessWatch<T> {
  /** The task's result, or what it threw. */
  outcome: T | unknown;
  elapsedMs: number;
  /**
   * The longest the event loop was held by this process' own work: each gap between two
   * ticks counts only the CPU time the process spent in it. A gap in which the process
   * merely waited for a core (the guests, libvirtd and sshd share the bed's two) is not
   * a block of ours, and in wall time alone it made the bound fail on a busy machine.
   */
  maxBlockedCpuMs: number;
  /** The longest gap between two ticks in wall time, for the log. */
  maxGapMs: number;
  /** How much the resident set grew at its peak. */
  rssGrowthMiB: number;
}

const TICK_MS = 5;

/** Runs `task`, noting the longest event-loop block and the peak growth of the resident set. */
export async function watchProcess<T>(task: () => Promise<T>): Promise<ProcessWatch<T>> {
  const rssBefore = process.memoryUsage().rss;
  let peakRss = rssBefore;
  let lastWallMs = performance.now();
  let lastCpu = process.cpuUsage();
  let maxBlockedCpuMs = 0;
  let maxGapMs = 0;
  const ticker = setInterval(() => {
    const nowMs = performance.now();
    const cpu = process.cpuUsage(lastCpu);
    const gapMs = nowMs - lastWallMs;
    // cpuUsage counts every thread (GC helpers too), so it is capped at the wall gap.
    const cpuMs = Math.min(gapMs, (cpu.user + cpu.system) / 1_000);
    maxBlockedCpuMs = Math.max(maxBlockedCpuMs, cpuMs);
    maxGapMs = Math.max(maxGapMs, gapMs);
    lastWallMs = nowMs;
    lastCpu = process.cpuUsage();
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, TICK_MS);
  const started = performance.now();
  const outcome = await task().catch((error: unknown) => error);
  // One more tick, so a block at the very end is seen too.
  await new Promise((resolve) => setTimeout(resolve, 2 * TICK_MS));
  clearInterval(ticker);
  return {
    outcome,
    elapsedMs: performance.now() - started,
    maxBlockedCpuMs,
    maxGapMs,
    rssGrowthMiB: (Math.max(peakRss, process.memoryUsage().rss) - rssBefore) / 2 ** 20,
  };
}
