import type { Database } from 'better-sqlite3';
import type { SqliteMigration } from '../sqlite-migration';

/**
 * Rows a MySQL target could not take (a value its column cannot hold, a constraint of
 * the server's), parked with the reason so the sync goes on past them instead of
 * retrying the same failing batch until retention prunes everything behind it.
 * sample_id is the host_samples / vm_samples id of a usage row, 0 for a t1/t3 row;
 * entity is the host key or VM uuid as stored here; ts and at are ms since the epoch.
 */
export const migration003: SqliteMigration = {
  version: 3,
  description: 'sync_parked: rows a MySQL target refused, with the reason',
  up(db: Database): void {
    db.exec(`
      CREATE TABLE sync_parked (
        target TEXT NOT NULL,
        tbl TEXT NOT NULL,
        sample_id INTEGER NOT NULL,
        entity TEXT NOT NULL,
        ts INTEGER,
        reason TEXT NOT NULL,
        at INTEGER NOT NULL,
        PRIMARY KEY (target, tbl, sample_id, entity)
      );
      CREATE INDEX sync_parked_at ON sync_parked (at);
    `);
  },
};
