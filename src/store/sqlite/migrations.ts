import { migration001 } from './migrations/001-initial';
import type { SqliteMigration } from './sqlite-migration';

/** Every local schema version in order; append, never edit a released one. */
export const sqliteMigrations: readonly SqliteMigration[] = [migration001];

export const latestSqliteVersion = sqliteMigrations.length;
