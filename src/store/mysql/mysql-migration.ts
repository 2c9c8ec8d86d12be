/** One forward step of the central schema: statements run in order by `setmov sync --init`. */
export interface MysqlMigration {
  version: number;
  description: string;
  /**
   * MySQL commits DDL implicitly, so a migration cannot roll back: every statement is
   * written to be re-runnable (IF NOT EXISTS) and the version row is written last.
   */
  statements: string[];
}
