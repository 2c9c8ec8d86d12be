import type { Database } from 'better-sqlite3';

/** One forward step of the local schema; `up` runs inside a transaction. */
export interface SqliteMigration {
  /** PRAGMA user_version after this migration. */
  version: number;
  description: string;
  up(db: Database): void;
}
