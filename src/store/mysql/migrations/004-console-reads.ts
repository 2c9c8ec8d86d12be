import type { AddColumn, GuardedStatement, MysqlMigration } from '../mysql-migration';

/** Done once the table has an index of that name. */
const indexed = (table: string, name: string): string =>
  `SELECT 1 FROM information_schema.STATISTICS
   WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = '${table}' AND INDEX_NAME = '${name}'`;

const updatedAtKey = (table: string): GuardedStatement => ({
  doneWhen: indexed(table, `${table}_updated_at`),
  sql: `ALTER TABLE ${table} ADD KEY ${table}_updated_at (updated_at)`,
});

/** The name the admin gave the host; host_name stays what the host calls itself. */
const hostLabel: AddColumn = {
  table: 't1_host',
  column: 'host_label',
  definition:
    "VARCHAR(255) NULL COMMENT 'the name the admin gave the host in the agent or console' AFTER host_name",
};

/**
 * What consoles reading the fleet need. t1/t3 by the time a row was last written: a
 * console reading the fleet every 2 s reads only the rows written since its last read
 * (central-fleet-reader.ts), through this index, not both tables whole. And each host's
 * label: two hosts of one machine (its libvirt, and a fleet behind its sshd) or two
 * clones share a hostname, and a console shows hosts by the names their admins chose.
 */
export const mysqlMigration004: MysqlMigration = {
  version: 4,
  description: 't1/t3 indexed by updated_at; t1 host_label',
  statements: [updatedAtKey('t1_host'), updatedAtKey('t3_vm'), hostLabel],
};
