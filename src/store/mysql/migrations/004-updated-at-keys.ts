import type { GuardedStatement, MysqlMigration } from '../mysql-migration';

/** Done once the table has an index of that name. */
const indexed = (table: string, name: string): string =>
  `SELECT 1 FROM information_schema.STATISTICS
   WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = '${table}' AND INDEX_NAME = '${name}'`;

const updatedAtKey = (table: string): GuardedStatement => ({
  doneWhen: indexed(table, `${table}_updated_at`),
  sql: `ALTER TABLE ${table} ADD KEY ${table}_updated_at (updated_at)`,
});

/**
 * t1/t3 by the time a row was last written: a console reading the fleet every 2 s reads
 * only the rows written since its last read (central-fleet-reader.ts), through this
 * index, not both tables whole.
 */
export const mysqlMigration004: MysqlMigration = {
  version: 4,
  description: 't1/t3 indexed by updated_at',
  statements: [updatedAtKey('t1_host'), updatedAtKey('t3_vm')],
};
