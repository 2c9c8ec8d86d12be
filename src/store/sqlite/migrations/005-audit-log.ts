import type { Database } from 'better-sqlite3';
import type { SqliteMigration } from '../sqlite-migration';

/**
 * Every change made to a VM from SETMOV (the console's apply, `setmov apply`): when (ms),
 * who, which VM on which host, what (memory in bytes or vCPUs) from what to what, where
 * (live, config or both), and how it went. Never pruned: a few rows a day at most, and
 * the record an admin is asked for. Synced to setmov_audit; ids only grow, so the sync's
 * watermark is the last id sent.
 */
export const migration005: SqliteMigration = {
  version: 5,
  description: 'audit_log: changes made to VMs',
  up(db: Database): void {
    db.exec(`
      CREATE TABLE audit_log (
        id INTEGER PRIMARY KEY,
        ts INTEGER NOT NULL,
        actor TEXT NOT NULL,
        host TEXT NOT NULL,
        vm_uuid TEXT NOT NULL,
        vm_name TEXT NOT NULL,
        change_kind TEXT NOT NULL,
        recommendation TEXT,
        before_value INTEGER,
        after_value INTEGER NOT NULL,
        scope TEXT NOT NULL,
        result TEXT NOT NULL,
        detail TEXT
      );
      CREATE INDEX audit_log_vm ON audit_log (vm_uuid, ts);
    `);
  },
};
