export interface BackoffOptions {
  /** First delay, ms (default 1 000). */
  initialMs?: number;
  /** Largest delay, ms (default 60 000). */
  maxMs?: number;
  /** Each delay is drawn from [base × (1 − jitter), base]; default 0.3. */
  jitter?: number;
  /** Source of randomness in [0, 1) (tests pass a fixed one). */
  random?: () => number;
}

/**
 * Reconnection delays: 1 s doubling to 60 s, each shortened by a random part of up to
 * 30 %, so that a fleet of hosts cut off together does not come back in lockstep and
 * hit its daemons at the same instant.
 */
export class Backoff {
  private attempt = 0;
  private readonly initialMs: number;
  private readonly maxMs: number;
  private readonly jitter: number;
  private readonly random: () => number;

  constructor(options: BackoffOptions = {}) {
    this.initialMs = options.initialMs ?? 1_000;
    this.maxMs = options.maxMs ?? 60_000;
    this.jitter = Math.min(1, Math.max(0, options.jitter ?? 0.3));
    this.random = options.random ?? Math.random;
  }

  /** Failed attempts since the last reset. */
  get attempts(): number {
    return this.attempt;
  }

  /** The delay before the next attempt, ms; each call doubles the base, up to the maximum. */
  next(): number {
    const base = Math.min(this.maxMs, this.initialMs * 2 ** Math.min(this.attempt, 30));
    this.attempt++;
    return Math.round(base * (1 - this.jitter * this.random()));
  }

  /** After a success: the next failure waits the initial delay again. */
  reset(): void {
    this.attempt = 0;
  }
}
