import type { MysqlMigration } from '../mysql-migration';

const latest = (table: string): { table: string; column: string; definition: string }[] => [
  {
    table,
    column: 'latest_ts',
    definition: "DATETIME(3) NULL COMMENT 'UTC, the newest sample the latest_* figures are from'",
  },
  { table, column: 'latest_cpu', definition: "DOUBLE NULL COMMENT 'percent, as cpu in t2/t4'" },
  {
    table,
    column: 'latest_memory',
    definition: "DOUBLE NULL COMMENT 'percent, as memory in t2/t4'",
  },
  { table, column: 'latest_disk', definition: "DOUBLE NULL COMMENT 'bytes/s, read + write'" },
  {
    table,
    column: 'latest_network',
    definition: "DOUBLE NULL COMMENT 'bytes/s, received + sent'",
  },
];

/**
 * The fleet's shape: each host's identity beside its address (two hosts called localhost
 * are two hosts), and each host's and VM's newest figures on its t1/t3 row, written every
 * sync round whatever the usage tables' resolution, so a console reads the whole fleet
 * now from two small tables with no scan of the usage rows.
 */
export const mysqlMigration003: MysqlMigration = {
  version: 3,
  description: 't1/t3 host_key and latest figures',
  statements: [
    {
      table: 't1_host',
      column: 'host_key',
      definition:
        "VARCHAR(64) NULL COMMENT 'the host identity: the saved host id of the agent or console watching it'",
    },
    ...latest('t1_host'),
    {
      table: 't3_vm',
      column: 'host_key',
      definition: "VARCHAR(64) NULL COMMENT 'host_key of the host the VM runs on'",
    },
    ...latest('t3_vm'),
  ],
};
