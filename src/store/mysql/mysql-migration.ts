/** A column added to an existing table: skipped where it exists (MySQL has no ADD COLUMN IF NOT EXISTS). */
export interface AddColumn {
  table: string;
  column: string;
  /** What follows the column's name in ALTER TABLE … ADD COLUMN. */
  definition: string;
}

/**
 * A statement that cannot say IF NOT EXISTS itself (a new primary key, a dropped or added
 * foreign key): skipped when `doneWhen`, a query of information_schema, returns a row.
 */
export interface GuardedStatement {
  doneWhen: string;
  sql: string;
}

/** One forward step of the central schema: statements run in order by `setmov sync --init`. */
export interface MysqlMigration {
  version: number;
  description: string;
  /**
   * MySQL commits DDL implicitly, so a migration cannot roll back: every statement is
   * written to be re-runnable (IF NOT EXISTS, an AddColumn or a GuardedStatement checked
   * against information_schema) and the version row is written last.
   */
  statements: (string | AddColumn | GuardedStatement)[];
}
