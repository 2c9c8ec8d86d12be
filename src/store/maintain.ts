import type { Database, Statement } from 'better-sqlite3';
import { hostMetrics, vmMetrics } from './metrics';
import { HOUR_MS, MINUTE_MS } from '../shared/time-ms';
import type { RetentionConfig } from './retention';
import { INDEX_MINUTE_MS } from './sample-range';

export interface MaintainResult {
  /** Bounded steps done in this call. */
  steps: number;
  /** True when nothing was left to do: call again later, not right away. */
  idle: boolean;
  /**
   * Raw samples past their retention and the sync hold (rawMs + syncHoldMs) that are
   * kept only because a MySQL target has not taken them yet: the store never prunes an
   * unsent sample (a row the target refused is parked, which counts as handled), so
   * this grows until the target is back or forgotten. Show it to the admin.
   */
  syncHold: SyncHold[];
}

export interface SyncHold {
  samples: 'host_samples' | 'vm_samples';
  /** ms since the epoch of the oldest sample kept unsent. */
  oldestTs: number;
  /** Targets (sync_watermarks) that have not taken it. */
  targets: string[];
}

type Entity = 'host' | 'vm';

/** Raw rows rolled up per step: 10 minutes of every entity. */
const RAW_WINDOW_MS = 10 * MINUTE_MS;
/** Minute rows rolled up per step: 6 hours of every entity. */
const MINUTE_WINDOW_MS = 6 * HOUR_MS;
/** Rows deleted per prune step. */
const PRUNE_ROWS = 2000;

/**
 * Rollups and pruning, in small steps: each step is one short transaction (a few ms), so
 * ingest between two steps never waits long. `step(budgetMs)` keeps doing steps until
 * the budget is spent or nothing is left; call it every few seconds.
 */
export class Maintainer {
  private readonly tasks: (() => boolean)[];
  private readonly holds: (() => SyncHold | null)[];
  private readonly getState: Statement;
  private readonly setState: Statement;

  constructor(
    private readonly db: Database,
    private readonly retention: RetentionConfig,
    private readonly now: () => number,
  ) {
    this.getState = db.prepare('SELECT done_until AS d FROM rollup_state WHERE name = ?');
    this.setState = db.prepare(
      'INSERT OR REPLACE INTO rollup_state (name, done_until) VALUES (?, ?)',
    );
    this.tasks = [];
    for (const entity of ['vm', 'host'] as const) {
      this.tasks.push(this.minuteRollup(entity), this.hourRollup(entity));
      this.tasks.push(
        this.pruneRaw(entity),
        this.pruneRollup(entity, '1m'),
        this.pruneRollup(entity, '1h'),
      );
    }
    this.tasks.push(this.pruneEvents(), this.pruneParked());
    this.holds = (['host', 'vm'] as const).map((entity) => this.syncHoldOf(entity));
  }

  /** Where each rollup stands: everything before done_until (ms) is rolled up. */
  doneUntil(name: `${Entity}_${'1m' | '1h'}`): number | null {
    return (this.getState.get(name) as { d: number } | undefined)?.d ?? null;
  }

  step(budgetMs: number): MaintainResult {
    const start = performance.now();
    let steps = 0;
    for (;;) {
      let worked = false;
      for (const task of this.tasks) {
        if (this.db.transaction(task).immediate()) {
          worked = true;
          steps++;
        }
        if (performance.now() - start >= budgetMs)
          return { steps, idle: false, syncHold: this.syncHold() };
      }
      if (!worked) return { steps, idle: true, syncHold: this.syncHold() };
    }
  }

  private syncHold(): SyncHold[] {
    return this.holds.map((hold) => hold()).filter((h): h is SyncHold => h !== null);
  }

  /** Two index lookups: the oldest raw row, and the targets whose watermark is below it. */
  private syncHoldOf(entity: Entity): () => SyncHold | null {
    const samples = `${entity}_samples` as const;
    const oldest = this.db.prepare(`SELECT id, ts FROM ${samples} ORDER BY id LIMIT 1`);
    const behind = this.db.prepare(
      'SELECT target FROM sync_watermarks WHERE stream = ? AND value < ? ORDER BY target',
    );
    return () => {
      const row = oldest.get() as { id: number; ts: number } | undefined;
      if (!row || row.ts >= this.now() - this.retention.rawMs - this.retention.syncHoldMs)
        return null;
      const targets = (behind.all(samples, row.id) as { target: string }[]).map((r) => r.target);
      return targets.length === 0 ? null : { samples, oldestTs: row.ts, targets };
    };
  }

  private minuteRollup(entity: Entity): () => boolean {
    const metrics = entity === 'vm' ? vmMetrics : hostMetrics;
    const cols = metrics.map((m) => m.column);
    const insert = this.db.prepare(
      `INSERT OR REPLACE INTO ${entity}_rollup_1m (${entity}_id, bucket, n, ${cols.map((c) => `${c}_min, ${c}_avg, ${c}_max`).join(', ')})
       SELECT ${entity}_id, (ts / ${MINUTE_MS}) * ${MINUTE_MS} AS b, count(*), ${cols.map((c) => `min(${c}), avg(${c}), max(${c})`).join(', ')}
       FROM ${entity}_samples
       WHERE ts / ${INDEX_MINUTE_MS} >= ? AND ts / ${INDEX_MINUTE_MS} < ?
       GROUP BY ${entity}_id, b`,
    );
    const first = this.db.prepare(
      `SELECT min(ts / ${INDEX_MINUTE_MS}) * ${INDEX_MINUTE_MS} AS t FROM ${entity}_samples`,
    );
    const name = `${entity}_1m`;
    return () => {
      const cutoff = floorTo(this.now() - this.retention.rollupDelayMs, MINUTE_MS);
      let from = this.doneUntilOr(name, first, MINUTE_MS);
      if (from === null || from >= cutoff) return false;
      // Never roll up what pruning already took: start at the oldest raw row.
      from = Math.max(
        from,
        floorTo(this.now() - this.retention.rawMs - this.retention.syncHoldMs, MINUTE_MS),
      );
      const to = Math.min(from + RAW_WINDOW_MS, cutoff);
      // whole minutes, as the sample index counts them
      insert.run(from / INDEX_MINUTE_MS, to / INDEX_MINUTE_MS);
      this.setState.run(name, to);
      return true;
    };
  }

  private hourRollup(entity: Entity): () => boolean {
    const metrics = entity === 'vm' ? vmMetrics : hostMetrics;
    const cols = metrics.map((m) => m.column);
    const weighted = (c: string): string =>
      `min(${c}_min), sum(${c}_avg * n) / sum(CASE WHEN ${c}_avg IS NOT NULL THEN n END), max(${c}_max)`;
    const insert = this.db.prepare(
      `INSERT OR REPLACE INTO ${entity}_rollup_1h (${entity}_id, bucket, n, ${cols.map((c) => `${c}_min, ${c}_avg, ${c}_max`).join(', ')})
       SELECT ${entity}_id, (bucket / ${HOUR_MS}) * ${HOUR_MS} AS b, sum(n), ${cols.map(weighted).join(', ')}
       FROM ${entity}_rollup_1m
       WHERE bucket >= ? AND bucket < ?
       GROUP BY ${entity}_id, b`,
    );
    const first = this.db.prepare(`SELECT min(bucket) AS t FROM ${entity}_rollup_1m`);
    const name = `${entity}_1h`;
    return () => {
      const minuteDone = this.doneUntil(`${entity}_1m`);
      if (minuteDone === null) return false;
      const cutoff = floorTo(minuteDone, HOUR_MS);
      const from = this.doneUntilOr(name, first, HOUR_MS);
      if (from === null || from >= cutoff) return false;
      const to = Math.min(from + MINUTE_WINDOW_MS, cutoff);
      insert.run(from, to);
      this.setState.run(name, to);
      return true;
    };
  }

  private doneUntilOr(name: string, first: Statement, unit: number): number | null {
    const done = (this.getState.get(name) as { d: number } | undefined)?.d;
    if (done !== undefined) return done;
    const t = (first.get() as { t: number | null }).t;
    return t === null ? null : floorTo(t, unit);
  }

  /**
   * Raw rows past retention and rolled up, and sent to every MySQL target that has
   * watermarks (or parked for it): an unsent sample is never pruned, however old; see
   * MaintainResult.syncHold.
   */
  private pruneRaw(entity: Entity): () => boolean {
    const del = this.db.prepare(
      `DELETE FROM ${entity}_samples WHERE id IN (SELECT id FROM ${entity}_samples ORDER BY id LIMIT ${PRUNE_ROWS})
       AND ts < ? AND id <= ? AND id < (SELECT max(id) FROM ${entity}_samples)`,
    );
    const syncFloor = this.db.prepare(
      `SELECT min(value) AS v FROM sync_watermarks WHERE stream = '${entity}_samples'`,
    );
    const oldest = this.db.prepare(`SELECT ts FROM ${entity}_samples ORDER BY id LIMIT 1`);
    return () => {
      const now = this.now();
      const rolled = this.doneUntil(`${entity}_1m`) ?? 0;
      const cutoff = Math.min(now - this.retention.rawMs, rolled);
      // One index lookup when nothing is due (nearly always): the DELETE reads a
      // batch of rows to find that out. Rows come in about in time order, so the
      // oldest by id being in retention means the batch is too.
      const first = oldest.get() as { ts: number } | undefined;
      if (!first || first.ts >= cutoff) return false;
      const floor = (syncFloor.get() as { v: number | null }).v ?? Number.MAX_SAFE_INTEGER;
      return del.run(cutoff, floor).changes > 0;
    };
  }

  private pruneRollup(entity: Entity, resolution: '1m' | '1h'): () => boolean {
    const table = `${entity}_rollup_${resolution}`;
    const del = this.db.prepare(
      `DELETE FROM ${table} WHERE (${entity}_id, bucket) IN
       (SELECT ${entity}_id, bucket FROM ${table} WHERE bucket < ? ORDER BY bucket LIMIT ${PRUNE_ROWS})`,
    );
    return () => {
      const now = this.now();
      const cutoff =
        resolution === '1m'
          ? Math.min(now - this.retention.minuteMs, this.doneUntil(`${entity}_1h`) ?? 0)
          : now - this.retention.hourMs;
      return del.run(cutoff).changes > 0;
    };
  }

  private pruneEvents(): () => boolean {
    const del = this.db.prepare(
      `DELETE FROM vm_events WHERE id IN (SELECT id FROM vm_events ORDER BY id LIMIT ${PRUNE_ROWS}) AND ts < ?`,
    );
    return () => del.run(this.now() - this.retention.hourMs).changes > 0;
  }

  /** Parked-row records are kept as long as the minute rollups of the samples they name. */
  private pruneParked(): () => boolean {
    const del = this.db.prepare(
      `DELETE FROM sync_parked WHERE rowid IN (SELECT rowid FROM sync_parked WHERE at < ? ORDER BY at LIMIT ${PRUNE_ROWS})`,
    );
    return () => del.run(this.now() - this.retention.minuteMs).changes > 0;
  }
}

function floorTo(t: number, unit: number): number {
  return Math.floor(t / unit) * unit;
}
