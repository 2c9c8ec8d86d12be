import type { Connection } from 'mysql2/promise';
import { quoteMysqlIdentifier } from './mysql-identifier';
import { SyncError, classifyMysqlError } from './sync-error';

/**
 * How the server refuses a CREATE DATABASE to a user without the right: 1044 without
 * CREATE on that database; 1045 and 1227 seen from servers that check global rights.
 */
const DENIED_CODES = new Set([
  'ER_DBACCESS_DENIED_ERROR',
  'ER_ACCESS_DENIED_ERROR',
  'ER_SPECIFIC_ACCESS_DENIED_ERROR',
]);

/**
 * Creates `database` (utf8mb4, as the tables are) on a connection without a default
 * database. A user who may not create it is told the two statements that an
 * administrator runs for it, words that fit the console and the CLI alike.
 */
export async function createMysqlDatabase(
  conn: Connection,
  database: string,
  where: string,
): Promise<void> {
  const name = quoteMysqlIdentifier(database);
  const create = `CREATE DATABASE IF NOT EXISTS ${name} DEFAULT CHARACTER SET utf8mb4`;
  try {
    await conn.query(create);
  } catch (error) {
    if (!DENIED_CODES.has((error as { code?: string }).code ?? ''))
      throw classifyMysqlError(error, `${where}: creating the database ${name}`);
    const account = await currentAccount(conn);
    throw new SyncError(
      'create-database-denied',
      `${where}: the database ${name} does not exist and ${account} may not create it: ` +
        `${create}; GRANT ALL PRIVILEGES ON ${name}.* TO ${account};`,
    );
  }
}

/**
 * The account the server matched this login to (CURRENT_USER(), not the name logged in
 * with: a grant to 'u'@'%' covers 'u'@'10.0.0.5'), quoted as a GRANT takes it. Backticks
 * rather than single quotes: their meaning does not depend on NO_BACKSLASH_ESCAPES.
 */
async function currentAccount(conn: Connection): Promise<string> {
  const [rows] = await conn.query('SELECT CURRENT_USER() AS account');
  const account = String((rows as { account: string }[])[0]?.account);
  const at = account.lastIndexOf('@');
  return `${quoteMysqlIdentifier(account.slice(0, at))}@${quoteMysqlIdentifier(account.slice(at + 1))}`;
}
