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
 * takes the new value only when the row's `than` time column is not older than the
 * stored one (two writers that see the same VM, one that migrated, converge on the newer
 * view).
 */
type OnUpdate = 'set' | 'known' | 'forward' | { newer: string };

/** What a column is bound to. */
type Bound = string | number | null;

interface Column<Row> {
  name: string;
  value: (row: Row) => Bound;
  onUpdate: OnUpdate;
}

/** Below every DATETIME(3): a NULL time compares as the oldest. */
const NEVER = "'1000-01-01 00:00:00.000'";

/**
 * t1/t3 rows per statement: a whole batch's VMs (an agent's 10 hosts × 50 VMs) in a few
 * statements, far below the 65,535 placeholders a prepared statement may hold (16 per
 * t3 row), and at most this many statement texts per table in mysql2's cache (one per
 * remainder length).
 */
export const ENTITY_ROWS_PER_STATEMENT = 250;

/** The ON DUPLICATE KEY UPDATE assignment of one column, from the row sent (VALUES()). */
function assignment<Row>({ name, onUpdate }: Column<Row>): string {
  const sent = `VALUES(${name})`;
  if (onUpdate === 'set') return `${name} = ${sent}`;
  if (onUpdate === 'known') return `${name} = coalesce(${sent}, ${name})`;
  if (onUpdate === 'forward')
    return `${name} = coalesce(greatest(${name}, ${sent}), ${name}, ${sent})`;
  const than = onUpdate.newer;
  return `${name} = IF(coalesce(VALUES(${than}), ${NEVER}) >= coalesce(${than}, ${NEVER}), ${sent}, ${name})`;
}

/** The statement text for `count` rows, made once per table and count. */
const statements = new Map<string, string>();
function upsertText<Row>(table: string, columns: Column<Row>[], count: number): string {
  const key = `${table}:${count}`;
  let text = statements.get(key);
  if (text === undefined) {
    const tuple = `(${columns.map(() => '?').join(', ')}, UTC_TIMESTAMP(3))`;
    text = `INSERT INTO ${table} (${columns.map((c) => c.name).join(', ')}, updated_at)
     VALUES ${Array.from({ length: count }, () => tuple).join(', ')}
     ON DUPLICATE KEY UPDATE ${columns.map(assignment).join(', ')}, updated_at = UTC_TIMESTAMP(3)`;
    statements.set(key, text);
  }
  return text;
}

/**
 * Rows as server-side prepared statements of ENTITY_ROWS_PER_STATEMENT rows: the values
 * are bound, never quoted into the SQL, whatever the server's sql_mode (a VM's name is
 * the guest owner's text). The rows go in key order, so two writers that share rows (a
 * migrated VM) lock them in the same order and refuse each other less. MySQL and MariaDB
 * assign left to right, each assignment seeing the ones before: a `newer` guard's time
 * column must come after the columns it guards.
 */
async function upsertRows<Row>(
  conn: Connection,
  table: string,
  columns: Column<Row>[],
  rows: Row[],
): Promise<void> {
  const key = (row: Row): string => String(columns[0]!.value(row));
  const sorted = [...rows].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  const sends: Promise<unknown>[] = [];
  for (let i = 0; i < sorted.length; i += ENTITY_ROWS_PER_STATEMENT) {
    const part = sorted.slice(i, i + ENTITY_ROWS_PER_STATEMENT);
    const params = part.flatMap((row) => columns.map((c) => c.value(row)));
    sends.push(conn.execute(upsertText(table, columns, part.length), params));
  }
  await Promise.all(sends);
}

/** The latest_* columns: taken when their sample is not older than the one stored. */
function latestColumns<Row extends LatestValues>(): Column<Row>[] {
  const newer = { newer: 'latest_ts' };
  return [
    { name: 'latest_cpu', value: (r) => r.latestCpu, onUpdate: newer },
    { name: 'latest_memory', value: (r) => r.latestMemory, onUpdate: newer },
    { name: 'latest_disk', value: (r) => r.latestDisk, onUpdate: newer },
    { name: 'latest_network', value: (r) => r.latestNetwork, onUpdate: newer },
    { name: 'latest_ts', value: (r) => r.latestTs, onUpdate: 'forward' },
  ];
}

const t1Columns: Column<T1Values>[] = [
  { name: 'host_key', value: (h) => h.hostKey, onUpdate: 'set' },
  { name: 'host_ip', value: (h) => h.hostIp, onUpdate: 'set' },
  { name: 'host_name', value: (h) => h.hostName, onUpdate: 'set' },
  { name: 'host_label', value: (h) => h.hostLabel, onUpdate: 'known' },
  { name: 'vmc', value: (h) => h.vmc, onUpdate: 'set' },
  { name: 'cpu_cores', value: (h) => h.cores, onUpdate: 'known' },
  { name: 'memory_bytes', value: (h) => h.memoryBytes, onUpdate: 'known' },
  ...latestColumns<T1Values>(),
];

/**
 * lct only moves forward, so two consoles watching the same VM agree on the latest
 * connect; where the VM runs and what it is like come from whoever saw it last.
 */
const seenLast = { newer: 'last_seen' };
const t3Columns: Column<T3Values>[] = [
  { name: 'uuid', value: (v) => v.uuid, onUpdate: 'set' },
  { name: 'host_ip', value: (v) => v.hostIp, onUpdate: seenLast },
  { name: 'host_key', value: (v) => v.hostKey, onUpdate: seenLast },
  { name: 'name', value: (v) => v.name, onUpdate: seenLast },
  { name: 'state', value: (v) => v.state, onUpdate: seenLast },
  { name: 'connected_now', value: (v) => v.connectedNow, onUpdate: seenLast },
  { name: 'vcpus', value: (v) => v.vcpus, onUpdate: 'known' },
  { name: 'lct', value: (v) => v.lct, onUpdate: 'forward' },
  ...latestColumns<T3Values>(),
  { name: 'last_seen', value: (v) => v.lastSeen, onUpdate: 'forward' },
];

export async function upsertHosts(conn: Connection, hosts: T1Values[]): Promise<void> {
  await upsertRows(conn, 't1_host', t1Columns, hosts);
}

export async function upsertVms(conn: Connection, vms: T3Values[]): Promise<void> {
  await upsertRows(conn, 't3_vm', t3Columns, vms);
}
