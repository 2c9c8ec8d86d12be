/** Samples counted per second over a sliding window: the status bar's "samples/s". */
export class SampleRate {
  private readonly seconds = new Map<number, number>();

  constructor(
    private readonly windowSec = 10,
    private readonly now: () => number = Date.now,
  ) {}

  count(n = 1): void {
    const second = Math.floor(this.now() / 1000);
    this.seconds.set(second, (this.seconds.get(second) ?? 0) + n);
    for (const key of this.seconds.keys()) {
      if (key <= second - this.windowSec) this.seconds.delete(key);
    }
  }

  /** The mean over the whole seconds of the window (the current one is still filling). */
  perSecond(): number {
    const current = Math.floor(this.now() / 1000);
    let total = 0;
    for (const [second, n] of this.seconds) {
      if (second < current && second >= current - this.windowSec) total += n;
    }
    return total / this.windowSec;
  }
}
