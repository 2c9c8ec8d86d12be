import { Backoff, type BackoffOptions } from './backoff';

/**
 * At most one pending retry, each delayed by the next backoff step: the host's reconnection and
 * libvirt's re-attachment both wait this way. A success resets the backoff.
 */
export class RetryTimer {
  private readonly backoff: Backoff;
  private timer: NodeJS.Timeout | null = null;
  private dueAt: number | null = null;

  constructor(options?: BackoffOptions) {
    this.backoff = new Backoff(options);
  }

  /** When the pending retry runs, ms since the epoch; null when none is pending. */
  get retryAt(): number | null {
    return this.dueAt;
  }

  get pending(): boolean {
    return this.timer !== null;
  }

  /** Runs `retry` after the next backoff delay; does nothing while a retry is already pending. */
  schedule(retry: () => void): void {
    if (this.timer) return;
    const delayMs = this.backoff.next();
    this.dueAt = Date.now() + delayMs;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.dueAt = null;
      retry();
    }, delayMs);
  }

  /** Drops the pending retry, if any; the backoff keeps its count. */
  cancel(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.dueAt = null;
  }

  /** The attempt worked: nothing pending, and the next failure waits the first delay again. */
  succeeded(): void {
    this.cancel();
    this.backoff.reset();
  }
}
