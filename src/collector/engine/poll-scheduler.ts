export interface PollSchedulerOptions {
  intervalMs: number;
  /** One poll; a rejection is handed to onError, never left unhandled. */
  poll: () => Promise<void>;
  onError?: (error: unknown) => void;
  /** Monotonic clock, ms (default performance.now). */
  now?: () => number;
  /**
   * Where in each interval the ticks after the first fall, ms in [0, intervalMs)
   * (default 0). Hosts that connect together would otherwise poll together, every
   * interval, and their work would arrive as one burst; see phaseOf.
   */
  phaseMs?: number;
}

/**
 * A host's place in the poll interval, from its id: spread evenly over the interval
 * by a string hash (FNV-1a), the same place every run.
 */
export function phaseOf(id: string, intervalMs: number): number {
  let hash = 2166136261;
  for (let i = 0; i < id.length; i++) hash = Math.imul(hash ^ id.charCodeAt(i), 16777619);
  // FNV-1a, then a final mix (MurmurHash3's): names that differ in a digit land apart.
  hash = Math.imul(hash ^ (hash >>> 16), 0x85ebca6b);
  hash = Math.imul(hash ^ (hash >>> 13), 0xc2b2ae35);
  hash ^= hash >>> 16;
  return ((hash >>> 0) / 2 ** 32) * intervalMs;
}

export interface PollCounters {
  /** Polls started. */
  polls: number;
  /** Ticks that found the previous poll still running (or passed while the process stalled). */
  skipped: number;
}

/**
 * Runs a poll at t0, then at t0 + p + i, t0 + p + 2i, ... (p the phase) on the monotonic clock: a late timer or a slow poll
 * does not push the later ticks back (no drift). Polls never overlap: a tick that finds the
 * previous poll still running is skipped and counted.
 */
export class PollScheduler {
  private readonly intervalMs: number;
  private readonly poll: () => Promise<void>;
  private readonly onError: (error: unknown) => void;
  private readonly now: () => number;
  private readonly phaseMs: number;
  private t0 = 0;
  private nextTick = 0;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = true;
  private readonly counters: PollCounters = { polls: 0, skipped: 0 };

  constructor(options: PollSchedulerOptions) {
    if (!(options.intervalMs > 0)) throw new RangeError('the poll interval must be positive');
    this.intervalMs = options.intervalMs;
    this.poll = options.poll;
    this.onError = options.onError ?? (() => undefined);
    this.now = options.now ?? (() => performance.now());
    const phase = options.phaseMs ?? 0;
    if (!(phase >= 0 && phase < this.intervalMs)) {
      throw new RangeError('the poll phase must be in [0, interval)');
    }
    this.phaseMs = phase;
  }

  get stats(): Readonly<PollCounters> {
    return { ...this.counters };
  }

  get isRunning(): boolean {
    return !this.stopped;
  }

  /** Polls now, then every interval. */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    // Ticks count from the phase; the first poll is now, whatever the phase.
    this.t0 = this.now() + this.phaseMs;
    this.nextTick = 1;
    this.launch();
    this.arm();
  }

  /** Clears the timer and waits for a poll in progress to finish. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  private arm(): void {
    if (this.stopped) return;
    const delay = this.t0 + this.nextTick * this.intervalMs - this.now();
    this.timer = setTimeout(() => this.onTimer(), Math.max(0, delay));
  }

  private onTimer(): void {
    this.timer = null;
    if (this.stopped) return;
    const due = Math.floor((this.now() - this.t0) / this.intervalMs);
    // Ticks that passed without their timer firing (a stalled event loop) were skipped too.
    if (due > this.nextTick) this.counters.skipped += due - this.nextTick;
    this.nextTick = Math.max(due, this.nextTick) + 1;
    if (this.running) this.counters.skipped++;
    else this.launch();
    this.arm();
  }

  private launch(): void {
    this.counters.polls++;
    const run = (async () => {
      try {
        await this.poll();
      } catch (error) {
        this.onError(error);
      }
    })();
    this.running = run;
    void run.finally(() => {
      if (this.running === run) this.running = null;
    });
  }
}
