import Database from 'better-sqlite3';
import type { Database as Db } from 'better-sqlite3';
import { StoreError } from '../store-error';
import { latestSqliteVersion, sqliteMigrations } from './migrations';
import { preparePrivateDbFile } from './private-files';
import { storeErrorOf } from './sqlite-failure';

export interface OpenDatabaseOptions {
  /** Open without creating or migrating (export, inspection). */
  readOnly?: boolean;
}

/**
 * Opens (creating if needed) a SETMOV SQLite file and brings its schema up to date.
 * WAL lets the sync loop read while ingest writes; synchronous=NORMAL in WAL mode loses
 * no committed transaction when the process dies, only (possibly) the last ones when
 * the whole machine loses power, and saves an fsync per commit.
 */
export function openDatabase(path: string, options: OpenDatabaseOptions = {}): Db {
  let db: Db;
  try {
    if (!options.readOnly && path !== ':memory:') preparePrivateDbFile(path);
    db = new Database(path, {
      readonly: options.readOnly ?? false,
      fileMustExist: options.readOnly ?? false,
    });
  } catch (error) {
    throw (
      storeErrorOf(error, path) ??
      new StoreError('bad-database', `cannot open ${path}: ${(error as Error).message}`)
    );
  }
  try {
    if (!options.readOnly) {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
    }
    db.pragma('busy_timeout = 5000');
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > latestSqliteVersion) {
      throw new StoreError(
        'schema-too-new',
        `${path} has schema version ${version}; this SETMOV knows up to ${latestSqliteVersion}`,
      );
    }
    if (version < latestSqliteVersion) {
      if (options.readOnly) {
        throw new StoreError(
          'bad-database',
          `${path} has an old schema (${version}): open it read-write once`,
        );
      }
      migrate(db, version);
    }
    return db;
  } catch (error) {
    db.close();
    if (error instanceof StoreError) throw error;
    throw (
      storeErrorOf(error, path) ??
      new StoreError(
        'bad-database',
        `${path} is not a SETMOV database: ${(error as Error).message}`,
      )
    );
  }
}

/** A rebuilt table must leave every reference whole, or its migration is rolled back. */
function assertNoDanglingKeys(db: Db, version: number): void {
  const dangling = db.pragma('foreign_key_check') as unknown[];
  if (dangling.length > 0) {
    throw new StoreError(
      'bad-database',
      `schema version ${version} would leave ${dangling.length} references dangling`,
    );
  }
}

function migrate(db: Db, from: number): void {
  for (const migration of sqliteMigrations) {
    if (migration.version <= from) continue;
    // Foreign keys are switched off outside a transaction only (SQLite ignores it inside).
    if (migration.rebuildsTable) db.pragma('foreign_keys = OFF');
    try {
      db.transaction(() => {
        migration.up(db);
        if (migration.rebuildsTable) assertNoDanglingKeys(db, migration.version);
        db.pragma(`user_version = ${migration.version}`);
      }).immediate();
    } finally {
      if (migration.rebuildsTable) db.pragma('foreign_keys = ON');
    }
  }
}
