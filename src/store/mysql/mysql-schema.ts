import type { Connection } from 'mysql2/promise';
import { latestMysqlVersion, mysqlMigrations, schemaVersionTable } from './mysql-migrations';
import type { AddColumn, GuardedStatement } from './mysql-migration';
import { SyncError, classifyMysqlError } from './sync-error';

/** The applied central schema version; 0 when the version table does not exist yet. */
export async function mysqlSchemaVersion(conn: Connection): Promise<number> {
  try {
    const [rows] = await conn.query('SELECT max(version) AS v FROM setmov_schema_version');
    return Number((rows as { v: number | null }[])[0]?.v ?? 0);
  } catch (error) {
    if ((error as { code?: string }).code === 'ER_NO_SUCH_TABLE') return 0;
    throw classifyMysqlError(error, 'reading the schema version');
  }
}

/** Creates or upgrades the central schema in the connection's database; returns [from, to]. */
export async function initMysqlSchema(conn: Connection): Promise<[number, number]> {
  const from = await mysqlSchemaVersion(conn);
  if (from > latestMysqlVersion) {
    throw new SyncError(
      'schema-too-new',
      `the database has schema version ${from}; this SETMOV knows up to ${latestMysqlVersion}`,
    );
  }
  try {
    await conn.query(schemaVersionTable);
    for (const migration of mysqlMigrations) {
      if (migration.version <= from) continue;
      for (const statement of migration.statements) await runStatement(conn, statement);
      await conn.query(
        'INSERT INTO setmov_schema_version (version, description, applied_at) VALUES (?, ?, UTC_TIMESTAMP(3))',
        [migration.version, migration.description],
      );
    }
  } catch (error) {
    throw classifyMysqlError(error, 'creating the schema');
  }
  return [from, latestMysqlVersion];
}

async function runStatement(
  conn: Connection,
  statement: string | AddColumn | GuardedStatement,
): Promise<void> {
  if (typeof statement === 'string') {
    await conn.query(statement);
    return;
  }
  if ('doneWhen' in statement) {
    const [done] = await conn.query(statement.doneWhen);
    if ((done as unknown[]).length === 0) await conn.query(statement.sql);
    return;
  }
  const [rows] = await conn.query(
    `SELECT 1 FROM information_schema.COLUMNS
     WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? AND COLUMN_NAME = ?`,
    [statement.table, statement.column],
  );
  if ((rows as unknown[]).length > 0) return;
  await conn.query(
    `ALTER TABLE ${statement.table} ADD COLUMN ${statement.column} ${statement.definition}`,
  );
}

/** Refuses to sync into a schema this version does not match. */
export async function assertMysqlSchema(conn: Connection): Promise<void> {
  const version = await mysqlSchemaVersion(conn);
  if (version === 0) {
    throw new SyncError('schema-missing', 'the database has no SETMOV tables');
  }
  if (version < latestMysqlVersion) {
    throw new SyncError(
      'schema-old',
      `the database has schema version ${version}; this SETMOV writes ${latestMysqlVersion}`,
    );
  }
  if (version > latestMysqlVersion) {
    throw new SyncError(
      'schema-too-new',
      `the database has schema version ${version}; this SETMOV knows up to ${latestMysqlVersion}`,
    );
  }
}
