import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { phaseOf, PollScheduler } from '../../../src/collector/engine/poll-scheduler';

describe('PollScheduler', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  const clock = () => Date.now();

  /** stop() waits for the poll in progress, which waits on fake time. */
  async function stopAndDrain(scheduler: PollScheduler): Promise<void> {
    const stopped = scheduler.stop();
    await vi.advanceTimersByTimeAsync(3_000);
    await stopped;
  }

  /**
   * A 1 s scheduler whose polls each take `pollMs` of fake time; records when each poll
   * started (ms after creation) and the most polls that ever ran at once.
   */
  function slowPolls(pollMs: number) {
    const starts: number[] = [];
    let running = 0;
    let maxRunning = 0;
    const t0 = Date.now();
    const scheduler = new PollScheduler({
      intervalMs: 1000,
      now: clock,
      poll: async () => {
        starts.push(Date.now() - t0);
        running++;
        maxRunning = Math.max(maxRunning, running);
        await new Promise((resolve) => setTimeout(resolve, pollMs));
        running--;
      },
    });
    return { scheduler, starts, maxRunning: () => maxRunning };
  }

  it('polls at once, then on a fixed grid that slow polls do not shift', async () => {
    // Each poll takes 300 ms: a naive setTimeout-after-poll loop would drift by that.
    const { scheduler, starts } = slowPolls(300);
    scheduler.start();
    await vi.advanceTimersByTimeAsync(5_050);
    await stopAndDrain(scheduler);
    expect(starts).toEqual([0, 1000, 2000, 3000, 4000, 5000]);
    expect(scheduler.stats).toEqual({ polls: 6, skipped: 0 });
  });

  it('never overlaps: a tick that finds the last poll running is skipped and counted', async () => {
    const { scheduler, starts, maxRunning } = slowPolls(2500);
    scheduler.start();
    await vi.advanceTimersByTimeAsync(6_100);
    await stopAndDrain(scheduler);
    expect(maxRunning()).toBe(1);
    // 0 runs to 2500: ticks 1000 and 2000 skipped; 3000 runs to 5500: 4000 and 5000 skipped; 6000 runs.
    expect(starts).toEqual([0, 3000, 6000]);
    expect(scheduler.stats).toEqual({ polls: 3, skipped: 4 });
  });

  it('counts ticks lost to a stalled event loop as skipped and stays on the grid', async () => {
    let now = 0;
    const starts: number[] = [];
    const scheduler = new PollScheduler({
      intervalMs: 1000,
      now: () => now,
      poll: async () => {
        starts.push(now);
      },
    });
    scheduler.start();
    now = 3500; // the process was frozen for 3.5 s; the timer for tick 1 fires late
    await vi.advanceTimersByTimeAsync(1000);
    now = 4000;
    await vi.advanceTimersByTimeAsync(500);
    await scheduler.stop();
    expect(starts).toEqual([0, 3500, 4000]);
    expect(scheduler.stats.skipped).toBe(2);
  });

  it('hands a failing poll to onError and keeps polling', async () => {
    const errors: unknown[] = [];
    let n = 0;
    const scheduler = new PollScheduler({
      intervalMs: 1000,
      now: clock,
      onError: (e) => errors.push(e),
      poll: async () => {
        n++;
        if (n === 1) throw new Error('boom');
      },
    });
    scheduler.start();
    await vi.advanceTimersByTimeAsync(1_500);
    await scheduler.stop();
    expect(n).toBe(2);
    expect(errors).toHaveLength(1);
    expect((errors[0] as Error).message).toBe('boom');
  });

  it('stop() clears its timer and waits for the poll in progress', async () => {
    let finished = false;
    const scheduler = new PollScheduler({
      intervalMs: 1000,
      now: clock,
      poll: async () => {
        await new Promise((resolve) => setTimeout(resolve, 400));
        finished = true;
      },
    });
    scheduler.start();
    const stopped = scheduler.stop();
    await vi.advanceTimersByTimeAsync(400);
    await stopped;
    expect(finished).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
    expect(scheduler.isRunning).toBe(false);
  });

  it('refuses a non-positive interval', () => {
    expect(() => new PollScheduler({ intervalMs: 0, poll: async () => undefined })).toThrow(
      RangeError,
    );
  });

  it('after the first poll, ticks at its phase within each interval', async () => {
    const starts: number[] = [];
    const t0 = Date.now();
    const scheduler = new PollScheduler({
      intervalMs: 1000,
      phaseMs: 300,
      now: clock,
      poll: () => {
        starts.push(Date.now() - t0);
        return Promise.resolve();
      },
    });
    scheduler.start();
    await vi.advanceTimersByTimeAsync(3_500);
    expect(starts).toEqual([0, 1300, 2300, 3300]);
    expect(scheduler.stats.skipped).toBe(0);
    await stopAndDrain(scheduler);
    expect(
      () => new PollScheduler({ intervalMs: 1000, phaseMs: 1000, poll: async () => {} }),
    ).toThrow(RangeError);
  });
});

describe('phaseOf', () => {
  it('spreads hosts over the interval, each at the same place every time', () => {
    const phases = Array.from({ length: 1000 }, (_, i) => phaseOf(`kvm-${i}`, 1000));
    expect(phases.every((p) => p >= 0 && p < 1000)).toBe(true);
    expect(phaseOf('kvm-7', 1000)).toBe(phases[7]);
    // Ten slices of the interval hold about a hundred hosts each, none crowded.
    const slices = Array.from({ length: 10 }, () => 0);
    for (const p of phases) slices[Math.floor(p / 100)]!++;
    expect(Math.min(...slices)).toBeGreaterThan(60);
    expect(Math.max(...slices)).toBeLessThan(140);
  });
});
