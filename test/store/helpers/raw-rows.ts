import type { Database } from 'better-sqlite3';

/**
 * Rows written straight into a store's SQLite file, past ingest's checks: what an older
 * version, a broken host or a collector bug could have left there. The sync must cope
 * with whatever is stored.
 */
export function rawHost(db: Database, name: string, ip: string | null = null): number {
  const { id } = db
    .prepare(
      'INSERT INTO hosts (key, name, ip, seq) VALUES (?, ?, ?, (SELECT coalesce(max(seq), 0) + 1 FROM hosts)) RETURNING id',
    )
    .get(name, name, ip) as { id: number };
  return id;
}

export function rawVm(
  db: Database,
  vm: { uuid: string; hostId: number; name: string; state: string; lastSeen: number },
): number {
  const { id } = db
    .prepare(
      `INSERT INTO vms (uuid, host_id, name, state, vcpus, connected_now, last_seen, seq)
       VALUES (?, ?, ?, ?, 1, 0, ?, (SELECT coalesce(max(seq), 0) + 1 FROM vms)) RETURNING id`,
    )
    .get(vm.uuid, vm.hostId, vm.name, vm.state, vm.lastSeen) as { id: number };
  return id;
}

/** A sample row with the given stored (scaled) columns; the others NULL. Returns its id. */
export function rawSample(
  db: Database,
  table: 'vm_samples' | 'host_samples',
  entityId: number,
  ts: number,
  columns: Record<string, number>,
): number {
  const names = Object.keys(columns);
  const { id } = db
    .prepare(
      `INSERT INTO ${table} (${table === 'vm_samples' ? 'vm_id' : 'host_id'}, ts${names.map((n) => `, ${n}`).join('')})
       VALUES (?, ?${names.map(() => ', ?').join('')}) RETURNING id`,
    )
    .get(entityId, ts, ...Object.values(columns)) as { id: number };
  return id;
}
