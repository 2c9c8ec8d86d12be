import type { Database, Statement } from 'better-sqlite3';
import type { CentralTable } from './central-columns';

/**
 * A row the sync could not send to a target, kept with its reason (SQLite sync_parked,
 * migration 003) so the watermark can move past it: one bad row must not stop the rest,
 * and an unsent sample is never pruned unless it was parked here and reported.
 */
export interface ParkedRow {
  table: CentralTable;
  /** The host's key (t1/t2) or the VM's uuid (t3/t4) as stored locally, before fitting. */
  entity: string;
  /** The sample's time, ms since the epoch; null for t1/t3 rows. */
  ts: number | null;
  /** host_samples / vm_samples id of a t2 / t4 row; null for t1/t3 rows. */
  sampleId: number | null;
  /** What the boundary or the server said. */
  reason: string;
}

export interface ParkedSummary {
  /** Rows parked for this target and still on record. */
  rows: number;
  last: (ParkedRow & { at: number }) | null;
}

/** The parked rows of one target. */
export class ParkedRows {
  private readonly insert: Statement;
  private readonly countRows: Statement;
  private readonly lastRow: Statement;

  constructor(
    db: Database,
    private readonly target: string,
  ) {
    // A row parked again (a crash before the watermark moved resends its batch) keeps one entry.
    this.insert = db.prepare(
      `INSERT INTO sync_parked (target, tbl, sample_id, entity, ts, reason, at)
       VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (target, tbl, sample_id, entity) DO UPDATE SET reason = excluded.reason, at = excluded.at`,
    );
    this.countRows = db.prepare('SELECT count(*) AS n FROM sync_parked WHERE target = ?');
    this.lastRow = db.prepare(
      `SELECT tbl AS "table", entity, ts, nullif(sample_id, 0) AS sampleId, reason, at
       FROM sync_parked WHERE target = ? ORDER BY at DESC, rowid DESC LIMIT 1`,
    );
  }

  /** Call inside the transaction that moves the watermark past these rows. */
  park(rows: readonly ParkedRow[], at: number): void {
    for (const r of rows) {
      this.insert.run(this.target, r.table, r.sampleId ?? 0, r.entity, r.ts, r.reason, at);
    }
  }

  summary(): ParkedSummary {
    const { n } = this.countRows.get(this.target) as { n: number };
    const last = (this.lastRow.get(this.target) as ParkedSummary['last'] | undefined) ?? null;
    return { rows: n, last };
  }
}
