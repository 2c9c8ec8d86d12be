import type { Connection } from 'mysql2/promise';
import type { LatestValues, T1Values, T3Values } from './central-rows';

/**
 * A usage row that exists is written over with the figures sent: a raw sample resent
 * carries the same figures, and a bucket's average sent again (a sample came in late,
 * see central-buckets.ts) carries the better one. VALUES() is what MySQL 8 and MariaDB
 * both take (MySQL 8.0.20+ warns it is deprecated; its `AS new` row alias is MySQL-only).
 * The key is the first column and ts. The tuples come ready from the outbox
 * (see tuplesByEntity there).
 */
export async function insertUsage(
  conn: Connection,
  table: string,
  columns: string[],
  tuples: string[],
): Promise<void> {
  const figures = columns.filter((c, i) => i > 0 && c !== 'ts').map((c) => `${c} = VALUES(${c})`);
  await conn.query(
    `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${tuples.join(',')} ON DUPLICATE KEY UPDATE ${figures.join(', ')}`,
  );
}

/**
 * How an upsert treats a column of a row that exists: `set` overwrites; `known` keeps
 * the old value when the new one is NULL; `forward` only moves a time forward; `newer`
 * takes the new value only when the row's `than` time is not older than the stored one
 * (two writers that see the same VM, one that migrated, converge on the newer view).
 */
type OnUpdate = 'set' | 'known' | 'forward' | { newer: { column: string; value: Bound } };

/** What a column is bound to. */
type Bound = string | number | null;

interface Column {
  name: string;
  value: Bound;
  onUpdate: OnUpdate;
}

/** Below every DATETIME(3): a NULL time compares as the oldest. */
const NEVER = "'1000-01-01 00:00:00.000'";

/**
 * One row at a time as a server-side prepared statement: the values are bound, never
 * quoted into the SQL, whatever the server's sql_mode; portable without VALUES(); and
 * t1/t3 rows are few. MySQL and MariaDB assign left to right, each assignment seeing the
 * ones before: a `newer` guard's time column must come after the columns it guards.
 */
async function upsertRow(conn: Connection, table: string, columns: Column[]): Promise<void> {
  const params: Bound[] = columns.map((c) => c.value);
  const assignments = columns.map(({ name, value, onUpdate }) => {
    if (onUpdate === 'set') {
      params.push(value);
      return `${name} = ?`;
    }
    if (onUpdate === 'known') {
      params.push(value);
      return `${name} = coalesce(?, ${name})`;
    }
    if (onUpdate === 'forward') {
      params.push(value, value);
      return `${name} = coalesce(greatest(${name}, ?), ${name}, ?)`;
    }
    params.push(onUpdate.newer.value, value);
    return `${name} = IF(coalesce(?, ${NEVER}) >= coalesce(${onUpdate.newer.column}, ${NEVER}), ?, ${name})`;
  });
  await conn.execute(
    `INSERT INTO ${table} (${columns.map((c) => c.name).join(', ')}, updated_at)
     VALUES (${columns.map(() => '?').join(', ')}, UTC_TIMESTAMP(3))
     ON DUPLICATE KEY UPDATE ${assignments.join(', ')}, updated_at = UTC_TIMESTAMP(3)`,
    params,
  );
}

/** The latest_* columns: taken when their sample is not older than the one stored. */
function latestColumns(row: LatestValues): Column[] {
  const newer = { newer: { column: 'latest_ts', value: row.latestTs } };
  return [
    { name: 'latest_cpu', value: row.latestCpu, onUpdate: newer },
    { name: 'latest_memory', value: row.latestMemory, onUpdate: newer },
    { name: 'latest_disk', value: row.latestDisk, onUpdate: newer },
    { name: 'latest_network', value: row.latestNetwork, onUpdate: newer },
    { name: 'latest_ts', value: row.latestTs, onUpdate: 'forward' },
  ];
}

export async function upsertHost(conn: Connection, h: T1Values): Promise<void> {
  await upsertRow(conn, 't1_host', [
    { name: 'host_key', value: h.hostKey, onUpdate: 'set' },
    { name: 'host_ip', value: h.hostIp, onUpdate: 'set' },
    { name: 'host_name', value: h.hostName, onUpdate: 'set' },
    { name: 'vmc', value: h.vmc, onUpdate: 'set' },
    { name: 'cpu_cores', value: h.cores, onUpdate: 'known' },
    { name: 'memory_bytes', value: h.memoryBytes, onUpdate: 'known' },
    ...latestColumns(h),
  ]);
}

/**
 * lct only moves forward, so two consoles watching the same VM agree on the latest
 * connect; where the VM runs and what it is like come from whoever saw it last.
 */
export async function upsertVm(conn: Connection, v: T3Values): Promise<void> {
  const newer = { newer: { column: 'last_seen', value: v.lastSeen } };
  await upsertRow(conn, 't3_vm', [
    { name: 'uuid', value: v.uuid, onUpdate: 'set' },
    { name: 'host_ip', value: v.hostIp, onUpdate: newer },
    { name: 'host_key', value: v.hostKey, onUpdate: newer },
    { name: 'name', value: v.name, onUpdate: newer },
    { name: 'state', value: v.state, onUpdate: newer },
    { name: 'connected_now', value: v.connectedNow, onUpdate: newer },
    { name: 'vcpus', value: v.vcpus, onUpdate: 'known' },
    { name: 'lct', value: v.lct, onUpdate: 'forward' },
    ...latestColumns(v),
    { name: 'last_seen', value: v.lastSeen, onUpdate: 'forward' },
  ]);
}
