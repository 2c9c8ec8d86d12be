import { migration001 } from './migrations/001-initial';
import { migration002 } from './migrations/002-minute-major-index';
import { migration003 } from './migrations/003-sync-parked';
import { migration004 } from './migrations/004-guest-paging';
import { migration005 } from './migrations/005-audit-log';
import { migration006 } from './migrations/006-host-key';
import type { SqliteMigration } from './sqlite-migration';

/** Every local schema version in order; append, never edit a released one. */
export const sqliteMigrations: readonly SqliteMigration[] = [
  migration001,
  migration002,
  migration003,
  migration004,
  migration005,
  migration006,
];

export const latestSqliteVersion = sqliteMigrations.length;
