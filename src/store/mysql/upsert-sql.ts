import type { Connection } from 'mysql2/promise';
import type { T1Values, T3Values } from './central-rows';

/**
 * Usage rows are immutable samples: on a duplicate (key, ts) nothing changes. The no-op
 * `ts = ts` form works on MySQL 8 and MariaDB alike, where VALUES() is deprecated on
 * MySQL 8.0.20+ and the `AS new` row alias is MySQL-only. The tuples come ready from
 * the outbox (see tuplesByEntity there).
 */
export async function insertUsage(
  conn: Connection,
  table: string,
  columns: string[],
  tuples: string[],
): Promise<void> {
  await conn.query(
    `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${tuples.join(',')} ON DUPLICATE KEY UPDATE ts = ts`,
  );
}

/**
 * One row at a time as a server-side prepared statement: the values are bound, never
 * quoted into the SQL, whatever the server's sql_mode; portable without VALUES(); and
 * t1 rows are few.
 */
export async function upsertHost(conn: Connection, h: T1Values): Promise<void> {
  await conn.execute(
    `INSERT INTO t1_host (host_ip, host_name, vmc, cpu_cores, memory_bytes, updated_at)
     VALUES (?, ?, ?, ?, ?, UTC_TIMESTAMP(3))
     ON DUPLICATE KEY UPDATE host_name = ?, vmc = ?, cpu_cores = coalesce(?, cpu_cores),
       memory_bytes = coalesce(?, memory_bytes), updated_at = UTC_TIMESTAMP(3)`,
    [
      h.hostIp,
      h.hostName,
      h.vmc,
      h.cores,
      h.memoryBytes,
      h.hostName,
      h.vmc,
      h.cores,
      h.memoryBytes,
    ],
  );
}

/** lct only moves forward, so two consoles watching the same VM agree on the latest connect. */
export async function upsertVm(conn: Connection, v: T3Values): Promise<void> {
  await conn.execute(
    `INSERT INTO t3_vm (uuid, host_ip, name, state, lct, connected_now, vcpus, last_seen, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, UTC_TIMESTAMP(3))
     ON DUPLICATE KEY UPDATE host_ip = ?, name = ?, state = ?, lct = coalesce(greatest(lct, ?), lct, ?),
       connected_now = ?, vcpus = coalesce(?, vcpus), last_seen = coalesce(greatest(last_seen, ?), last_seen, ?),
       updated_at = UTC_TIMESTAMP(3)`,
    [
      v.uuid,
      v.hostIp,
      v.name,
      v.state,
      v.lct,
      v.connectedNow,
      v.vcpus,
      v.lastSeen,
      v.hostIp,
      v.name,
      v.state,
      v.lct,
      v.lct,
      v.connectedNow,
      v.vcpus,
      v.lastSeen,
      v.lastSeen,
    ],
  );
}
