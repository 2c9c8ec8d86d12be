import type { Connection } from 'mysql2/promise';
import { mysqlMigration001 } from '../../../src/store/mysql/migrations/001-t1-t4';
import { mysqlMigration002 } from '../../../src/store/mysql/migrations/002-guest-paging-audit';
import { schemaVersionTable } from '../../../src/store/mysql/mysql-migrations';

/** Makes the connection's database what a version-2 console or agent left: T1–T4 as they were. */
export async function makeVersion2Database(conn: Connection): Promise<void> {
  await conn.query(schemaVersionTable);
  for (const migration of [mysqlMigration001, mysqlMigration002]) {
    for (const statement of migration.statements) {
      await conn.query(
        typeof statement === 'string'
          ? statement
          : 'doneWhen' in statement
            ? statement.sql
            : `ALTER TABLE ${statement.table} ADD COLUMN ${statement.column} ${statement.definition}`,
      );
    }
    await conn.query('INSERT INTO setmov_schema_version VALUES (?, ?, UTC_TIMESTAMP(3))', [
      migration.version,
      migration.description,
    ]);
  }
}
