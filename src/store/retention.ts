const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

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
  rawMs: 48 * HOUR,
  minuteMs: 30 * DAY,
  hourMs: 365 * DAY,
  rollupDelayMs: 2 * MINUTE,
  syncHoldMs: 7 * DAY,
};

export const MINUTE_MS = MINUTE;
export const HOUR_MS = HOUR;
