import type { AddColumn, GuardedStatement, MysqlMigration } from '../mysql-migration';

const latest = (table: string): AddColumn[] => [
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

const HOST_KEY =
  "VARCHAR(64) NOT NULL COMMENT 'the host identity: the saved host id (or its hostname)'";

/** A constraint of the table, by name: done once it exists (add) or is gone (drop). */
const constraint = (table: string, name: string): string =>
  `SELECT 1 FROM information_schema.TABLE_CONSTRAINTS
   WHERE CONSTRAINT_SCHEMA = DATABASE() AND TABLE_NAME = '${table}' AND CONSTRAINT_NAME = '${name}'`;
const absent = (query: string): string => `SELECT 1 FROM DUAL WHERE NOT EXISTS (${query})`;
/** Done once the table's primary key starts with host_key. */
const keyedByHostKey = (table: string): string =>
  `SELECT 1 FROM information_schema.KEY_COLUMN_USAGE
   WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = '${table}' AND CONSTRAINT_NAME = 'PRIMARY'
     AND COLUMN_NAME = 'host_key' AND ORDINAL_POSITION = 1`;

const dropForeignKey = (table: string, name: string): GuardedStatement => ({
  doneWhen: absent(constraint(table, name)),
  sql: `ALTER TABLE ${table} DROP FOREIGN KEY ${name}`,
});

/**
 * The fleet's shape. Hosts are keyed by their identity (`host_key`: the saved host id of
 * the agent or console watching it), not by address: two hosts behind one NAT address,
 * or two clones both called localhost, are two hosts; host_ip stays as the paper's column.
 * Each host's and VM's newest figures sit on its t1/t3 row, written every sync round
 * whatever the usage tables' resolution, so a console reads the whole fleet from two
 * small tables with no scan of the usage rows. Rows written before are keyed by their
 * host_ip, which is what identified them.
 */
export const mysqlMigration003: MysqlMigration = {
  version: 3,
  description: 'hosts keyed by host_key; t1/t3 latest figures',
  statements: [
    dropForeignKey('t2_host_usage', 't2_host_usage_host'),
    dropForeignKey('t3_vm', 't3_vm_host'),
    ...(['t1_host', 't2_host_usage', 't3_vm'] as const).flatMap((table) => [
      { table, column: 'host_key', definition: 'VARCHAR(64) NULL' },
      `UPDATE ${table} SET host_key = host_ip WHERE host_key IS NULL`,
    ]),
    {
      doneWhen: keyedByHostKey('t1_host'),
      sql: `ALTER TABLE t1_host MODIFY host_key ${HOST_KEY} FIRST,
        DROP PRIMARY KEY, ADD PRIMARY KEY (host_key), ADD KEY t1_host_ip (host_ip)`,
    },
    {
      doneWhen: keyedByHostKey('t2_host_usage'),
      sql: `ALTER TABLE t2_host_usage MODIFY host_key ${HOST_KEY} FIRST,
        DROP PRIMARY KEY, ADD PRIMARY KEY (host_key, ts)`,
    },
    {
      doneWhen: absent(
        `SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE()
         AND TABLE_NAME = 't3_vm' AND COLUMN_NAME = 'host_key' AND IS_NULLABLE = 'YES'`,
      ),
      sql: `ALTER TABLE t3_vm MODIFY host_key ${HOST_KEY} AFTER uuid, ADD KEY t3_vm_host_key (host_key)`,
    },
    {
      doneWhen: constraint('t2_host_usage', 't2_host_usage_host_key'),
      sql: `ALTER TABLE t2_host_usage ADD CONSTRAINT t2_host_usage_host_key
        FOREIGN KEY (host_key) REFERENCES t1_host (host_key)`,
    },
    {
      doneWhen: constraint('t3_vm', 't3_vm_host_key'),
      sql: `ALTER TABLE t3_vm ADD CONSTRAINT t3_vm_host_key
        FOREIGN KEY (host_key) REFERENCES t1_host (host_key)`,
    },
    ...latest('t1_host'),
    ...latest('t3_vm'),
  ],
};
