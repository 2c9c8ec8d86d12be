import { DAY_MS, HOUR_MS, MINUTE_MS } from '../shared/time-ms';

/** How long each resolution is kept, like an RRD. All in ms. */
export interface RetentionConfig {
  /** Raw samples (default 48 h). */
  rawMs: number;
  /** 1-minute rollups (default 30 days). */
  minuteMs: number;
  /** 1-hour rollups and VM events (default 1 year). */
  hourMs: number;
  /**
   * A minute is rolled up only once it is this old, so samples that arrive a little
   * late (slow host, batching) still land in raw before their bucket closes.
   */
  rollupDelayMs: number;
  /**
   * Raw samples not yet sent to a MySQL target are never pruned. Once the oldest of them
   * is older than rawMs + syncHoldMs, maintenance reports it (MaintainResult.syncHold) on
   * every call, so the admin hears of a target that has been gone that long.
   */
  syncHoldMs: number;
}

export const defaultRetention: RetentionConfig = {
  rawMs: 48 * HOUR_MS,
  minuteMs: 30 * DAY_MS,
  hourMs: 365 * DAY_MS,
  rollupDelayMs: 2 * MINUTE_MS,
  syncHoldMs: 7 * DAY_MS,
};
