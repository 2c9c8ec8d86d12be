export interface PollSchedulerOptions {
  intervalMs: number;
  /** One poll; a rejection is handed to onError, never left unhandled. */
  poll: () => Promise<void>;
  onError?: (error: unknown) => void;
  /** Monotonic clock, ms (default performance.now). */
  now?: () => number;
}

export interface PollCounters {
  /** Polls started. */
  polls: number;
  /** Ticks that found the previous poll still running (or passed while the process stalled). */
  skipped: number;
}

/**
 * Runs a poll at t0, t0 + i, t0 + 2i, ... on the monotonic clock: a late timer or a slow poll
 * does not push the later ticks back (no drift). Polls never overlap: a tick that finds the
 * previous poll still running is skipped and counted.
 */
export class PollScheduler {
  private readonly intervalMs: number;
  private readonly poll: () => Promise<void>;
  private readonly onError: (error: unknown) => void;
  private readonly now: () => number;
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
    this.t0 = this.now();
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
