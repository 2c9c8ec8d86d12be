import { describe, expect, it } from 'vitest';
import { RetryTimer } from '../../../src/collector/engine/retry-timer';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('RetryTimer', () => {
  it('runs one retry after the backoff delay and says when', async () => {
    const timer = new RetryTimer({ initialMs: 30, random: () => 0 });
    let runs = 0;
    const before = Date.now();
    timer.schedule(() => runs++);
    expect(timer.pending).toBe(true);
    expect(timer.retryAt).toBeGreaterThanOrEqual(before + 30);
    // A second failure while one retry is pending does not add another.
    timer.schedule(() => runs++);
    await sleep(200);
    expect(runs).toBe(1);
    expect(timer.pending).toBe(false);
    expect(timer.retryAt).toBeNull();
  });

  it('doubles the delay on each failure until a success resets it', () => {
    const timer = new RetryTimer({ initialMs: 1_000, random: () => 0 });
    const delays: number[] = [];
    for (let i = 0; i < 3; i++) {
      const now = Date.now();
      timer.schedule(() => undefined);
      delays.push(Math.round(((timer.retryAt ?? 0) - now) / 1000));
      timer.cancel();
    }
    expect(delays).toEqual([1, 2, 4]);
    timer.succeeded();
    const now = Date.now();
    timer.schedule(() => undefined);
    expect(Math.round(((timer.retryAt ?? 0) - now) / 1000)).toBe(1);
    timer.cancel();
  });

  it('never runs a cancelled retry', async () => {
    const timer = new RetryTimer({ initialMs: 10, random: () => 0 });
    let runs = 0;
    timer.schedule(() => runs++);
    timer.cancel();
    expect(timer.retryAt).toBeNull();
    await sleep(40);
    expect(runs).toBe(0);
  });
});
