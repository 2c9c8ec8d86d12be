import { describe, expect, it } from 'vitest';
import {
  SYNC_INTERVAL_MS,
  SYNC_MAX_BACKOFF_MS,
  syncRounds,
} from '../../../src/store/mysql/sync-rounds';

/** Runs rounds with these outcomes (true: failed) and returns the pauses asked for. */
async function pausesFor(
  outcomes: boolean[],
  options: { intervalMs?: number; maxBackoffMs?: number } = {},
): Promise<number[]> {
  const abort = new AbortController();
  const pauses: number[] = [];
  let n = 0;
  await syncRounds({
    ...options,
    signal: abort.signal,
    round: async () => {
      const failed = outcomes[n++] ?? false;
      if (n >= outcomes.length) abort.abort();
      return failed;
    },
    pause: async (ms) => {
      pauses.push(ms);
    },
  });
  return pauses;
}

describe('syncRounds: the sync loop of the backend and of setmov sync --follow', () => {
  it('waits the interval after a round that worked, and doubles the pause after each failure up to the cap', async () => {
    const failed = true;
    const ok = false;
    const pauses = await pausesFor([failed, failed, failed, ok, failed, ok], {
      intervalMs: 100,
      maxBackoffMs: 300,
    });
    // No pause after the last round: the signal aborted during it.
    expect(pauses).toEqual([200, 300, 300, 100, 200]);
  });

  it('defaults to a 5 s interval and a 60 s cap', async () => {
    expect(SYNC_INTERVAL_MS).toBe(5000);
    expect(SYNC_MAX_BACKOFF_MS).toBe(60_000);
    const pauses = await pausesFor([true, true, true, true, false, false]);
    expect(pauses).toEqual([10_000, 20_000, 40_000, 60_000, 5000]);
  });

  it('runs no round once the signal has aborted', async () => {
    const abort = new AbortController();
    abort.abort();
    let rounds = 0;
    await syncRounds({
      signal: abort.signal,
      round: async () => {
        rounds++;
        return false;
      },
    });
    expect(rounds).toBe(0);
  });
});
