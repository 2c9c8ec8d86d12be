import type { Database } from 'better-sqlite3';
import type { SqliteMigration } from '../sqlite-migration';

/**
 * Sample indexes keyed minute first: (ts / 60000, entity id) instead of (entity id, ts).
 *
 * Why: the engine commits about once a second with one sample per VM. Under (vm_id, ts)
 * every VM's newest entries sit on a leaf page of their own, so each commit dirtied and
 * wrote one index page per VM — about one 4 KiB WAL page per sample, more than half of
 * the ingest cost. Minute first, a commit's entries land side by side in the current
 * minute's few pages. Readers of one entity seek minute by minute (see sample-range.ts),
 * which costs a few µs per minute of range, and the minute rollup reads whole minutes
 * in index order. The rows themselves, their ids and so the sync watermarks are
 * untouched: only the two indexes are rebuilt.
 */
export const migration002: SqliteMigration = {
  version: 2,
  description: 'sample indexes keyed (minute, entity) for cheap commits',
  up(db: Database): void {
    db.exec(`
      DROP INDEX vm_samples_vm_ts;
      CREATE INDEX vm_samples_minute ON vm_samples (ts / 60000, vm_id);
      DROP INDEX host_samples_host_ts;
      CREATE INDEX host_samples_minute ON host_samples (ts / 60000, host_id);
    `);
  },
};
