import type { MysqlMigration } from '../mysql-migration';

/**
 * The guest's paging figures in t4 (the analysis' sign of a desktop short of memory), and
 * setmov_audit: every change the console or `setmov apply` made to a VM, from every
 * console syncing here. An audit row is keyed (uuid, ts, change_kind): resending it, or a
 * second console sending the same one, changes nothing.
 */
export const mysqlMigration002: MysqlMigration = {
  version: 2,
  description: 't4 guest swap-in and major faults; setmov_audit',
  statements: [
    {
      table: 't4_vm_usage',
      column: 'mem_swap_in_bytes_per_sec',
      definition: "DOUBLE NULL COMMENT 'bytes/s the guest read back from swap'",
    },
    {
      table: 't4_vm_usage',
      column: 'mem_major_faults_per_sec',
      definition: "DOUBLE NULL COMMENT 'guest major page faults/s'",
    },
    `CREATE TABLE IF NOT EXISTS setmov_audit (
    uuid CHAR(36) CHARACTER SET ascii NOT NULL COMMENT 'the VM changed',
    ts DATETIME(3) NOT NULL COMMENT 'UTC, when the change was made',
    change_kind VARCHAR(16) NOT NULL COMMENT 'memory (bytes) or vcpus',
    vm_name VARCHAR(255) NOT NULL,
    host_name VARCHAR(255) NOT NULL,
    actor VARCHAR(255) NOT NULL COMMENT 'who: user@machine of the console or command',
    recommendation VARCHAR(128) NULL COMMENT 'the recommendation applied, if any',
    before_value BIGINT NULL,
    after_value BIGINT NOT NULL,
    scope VARCHAR(16) NOT NULL COMMENT 'live, config or live+config',
    result VARCHAR(16) NOT NULL COMMENT 'applied, partial or failed',
    detail VARCHAR(1024) NULL COMMENT 'the error, or what could not be done',
    PRIMARY KEY (uuid, ts, change_kind)
  ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`,
  ],
};
