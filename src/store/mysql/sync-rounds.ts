import { MINUTE_MS, SECOND_MS } from '../../shared/time-ms';
import { abortableSleep } from '../abortable-sleep';

/** Pause between sync rounds once caught up. */
export const SYNC_INTERVAL_MS = 5 * SECOND_MS;
/** Longest pause after rounds that failed. */
export const SYNC_MAX_BACKOFF_MS = MINUTE_MS;

export interface SyncRoundsOptions {
  signal: AbortSignal;
  /** Default SYNC_INTERVAL_MS. */
  intervalMs?: number;
  /** Default SYNC_MAX_BACKOFF_MS. */
  maxBackoffMs?: number;
  /** One round; resolves true when it failed. Never rejects. */
  round: () => Promise<boolean>;
  /** Waits ms, less when the signal aborts (default); a caller may end it sooner too. */
  pause?: (ms: number) => Promise<void>;
}

/**
 * Sync rounds until the signal aborts: the interval after a round that worked; after
 * failures a pause that doubles from the interval up to the cap, so a target that is down
 * is not hammered and one that is back is found again within the cap.
 */
export async function syncRounds(options: SyncRoundsOptions): Promise<void> {
  const { signal, round } = options;
  const intervalMs = options.intervalMs ?? SYNC_INTERVAL_MS;
  const maxBackoffMs = options.maxBackoffMs ?? SYNC_MAX_BACKOFF_MS;
  const pause = options.pause ?? ((ms: number) => abortableSleep(ms, signal));
  let pauseMs = intervalMs;
  while (!signal.aborted) {
    const failed = await round();
    pauseMs = failed ? Math.min(pauseMs * 2, maxBackoffMs) : intervalMs;
    if (signal.aborted) break;
    await pause(pauseMs);
  }
}
