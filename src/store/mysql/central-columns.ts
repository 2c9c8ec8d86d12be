/**
 * Every column the sync writes in t1–t4, with the type and width the migrations give it
 * (migrations/001-t1-t4.ts). The value boundary (central-values.ts) fits each value to
 * its column from this table; test/store/mysql/central-columns.bed.test.ts checks it against
 * information_schema of a freshly created schema, so a migration cannot drift from it.
 */
export type CentralType =
  /** VARCHAR(n) in utf8mb4: n characters (code points). */
  | { sql: 'varchar'; chars: number }
  /** CHAR(n) CHARACTER SET ascii. */
  | { sql: 'ascii'; chars: number }
  | { sql: 'double' }
  | { sql: 'bigint' }
  | { sql: 'int' }
  | { sql: 'tinyint' }
  /** DATETIME(3): 1000-01-01 to 9999-12-31. */
  | { sql: 'datetime' };

export interface CentralColumn {
  type: CentralType;
  nullable: boolean;
}

const varchar = (chars: number, nullable = false): CentralColumn => ({
  type: { sql: 'varchar', chars },
  nullable,
});
const of = (sql: 'double' | 'bigint' | 'int' | 'tinyint' | 'datetime', nullable: boolean) => ({
  type: { sql },
  nullable,
});
const double = of('double', true);
const bigint = of('bigint', true);
const uuid: CentralColumn = { type: { sql: 'ascii', chars: 36 }, nullable: false };
const ts = of('datetime', false);

export const centralTables = {
  t1_host: {
    // Moved first and made the key by migration 003.
    host_key: varchar(64),
    host_ip: varchar(64),
    host_name: varchar(255),
    // Added by migration 004.
    host_label: varchar(255, true),
    vmc: of('int', false),
    cpu_cores: of('int', true),
    memory_bytes: bigint,
    updated_at: ts,
    // Added by migration 003.
    latest_ts: of('datetime', true),
    latest_cpu: double,
    latest_memory: double,
    latest_disk: double,
    latest_network: double,
  },
  t2_host_usage: {
    host_key: varchar(64),
    host_ip: varchar(64),
    ts,
    cpu: double,
    memory: double,
    disk: double,
    network: double,
    cpu_user_percent: double,
    cpu_system_percent: double,
    cpu_iowait_percent: double,
    cpu_steal_percent: double,
    mem_total_bytes: bigint,
    mem_available_bytes: bigint,
    mem_free_bytes: bigint,
    mem_buffers_bytes: bigint,
    mem_cached_bytes: bigint,
    disk_read_bytes_per_sec: double,
    disk_write_bytes_per_sec: double,
    disk_read_iops: double,
    disk_write_iops: double,
    net_rx_bytes_per_sec: double,
    net_tx_bytes_per_sec: double,
    net_rx_packets_per_sec: double,
    net_tx_packets_per_sec: double,
    net_wire_bits_per_sec: double,
    vm_count: of('int', true),
  },
  t3_vm: {
    uuid,
    host_key: varchar(64),
    host_ip: varchar(64),
    name: varchar(255),
    state: varchar(32),
    lct: of('datetime', true),
    connected_now: of('tinyint', false),
    vcpus: of('int', true),
    last_seen: of('datetime', true),
    updated_at: ts,
    // Added by migration 003.
    latest_ts: of('datetime', true),
    latest_cpu: double,
    latest_memory: double,
    latest_disk: double,
    latest_network: double,
  },
  t4_vm_usage: {
    uuid,
    ts,
    cpu: double,
    memory: double,
    disk: double,
    network: double,
    cpu_guest_percent: double,
    mem_allocated_bytes: bigint,
    mem_guest_total_bytes: bigint,
    mem_guest_used_bytes: bigint,
    mem_rss_bytes: bigint,
    disk_read_bytes_per_sec: double,
    disk_write_bytes_per_sec: double,
    disk_read_iops: double,
    disk_write_iops: double,
    net_rx_bytes_per_sec: double,
    net_tx_bytes_per_sec: double,
    net_rx_packets_per_sec: double,
    net_tx_packets_per_sec: double,
    // Added by migration 002: ALTER TABLE appends, so they come last.
    mem_swap_in_bytes_per_sec: double,
    mem_major_faults_per_sec: double,
  },
  setmov_audit: {
    uuid,
    ts,
    change_kind: varchar(16),
    vm_name: varchar(255),
    host_name: varchar(255),
    actor: varchar(255),
    recommendation: varchar(128, true),
    before_value: bigint,
    after_value: of('bigint', false),
    scope: varchar(16),
    result: varchar(16),
    detail: varchar(1024, true),
  },
} satisfies Record<string, Record<string, CentralColumn>>;

export type CentralTable = keyof typeof centralTables;

/** The spec of one column; throws on a name the schema does not have (a programming error). */
export function centralColumn(table: CentralTable, column: string): CentralColumn {
  const spec = (centralTables[table] as Record<string, CentralColumn>)[column];
  if (!spec) throw new TypeError(`${table} has no column ${column}`);
  return spec;
}

/** Width of a string column, in characters. */
export function centralWidth(table: CentralTable, column: string): number {
  const { type } = centralColumn(table, column);
  if (type.sql !== 'varchar' && type.sql !== 'ascii')
    throw new TypeError(`${table}.${column} is not a string column`);
  return type.chars;
}
