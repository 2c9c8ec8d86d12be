import { mysqlMigration001 } from './migrations/001-t1-t4';
import { mysqlMigration002 } from './migrations/002-guest-paging-audit';
import { mysqlMigration003 } from './migrations/003-fleet';
import { mysqlMigration004 } from './migrations/004-console-reads';
import type { MysqlMigration } from './mysql-migration';

/** Every central schema version in order; append, never edit a released one. */
export const mysqlMigrations: readonly MysqlMigration[] = [
  mysqlMigration001,
  mysqlMigration002,
  mysqlMigration003,
  mysqlMigration004,
];

export const latestMysqlVersion = mysqlMigrations.length;

/** Holds one row per applied version; created before any migration runs. */
export const schemaVersionTable = `CREATE TABLE IF NOT EXISTS setmov_schema_version (
  version INT NOT NULL,
  description VARCHAR(255) NOT NULL,
  applied_at DATETIME(3) NOT NULL COMMENT 'UTC',
  PRIMARY KEY (version)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`;
