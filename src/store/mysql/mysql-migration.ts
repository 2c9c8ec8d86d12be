/** A column added to an existing table: skipped where it exists (MySQL has no ADD COLUMN IF NOT EXISTS). */
export interface AddColumn {
  table: string;
  column: string;
  /** What follows the column's name in ALTER TABLE … ADD COLUMN. */
  definition: string;
}

/** One forward step of the central schema: statements run in order by `setmov sync --init`. */
export interface MysqlMigration {
  version: number;
  description: string;
  /**
   * MySQL commits DDL implicitly, so a migration cannot roll back: every statement is
   * written to be re-runnable (IF NOT EXISTS, or an AddColumn checked against
   * information_schema) and the version row is written last.
   */
  statements: (string | AddColumn)[];
}
