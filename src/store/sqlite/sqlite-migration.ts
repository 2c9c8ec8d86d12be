import type { Database } from 'better-sqlite3';

/** One forward step of the local schema; `up` runs inside a transaction. */
export interface SqliteMigration {
  /** PRAGMA user_version after this migration. */
  version: number;
  description: string;
  /**
   * Rebuilds a table other tables reference (SQLite's way to change a constraint): run
   * with foreign keys off, and checked before its transaction commits.
   */
  rebuildsTable?: boolean;
  up(db: Database): void;
}
