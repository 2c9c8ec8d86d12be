import type { Database } from 'better-sqlite3';
import type { HostEventRecord, VmEventRecord } from '../shared/model/host-view';

/** A VM's most recent lifecycle and display events, newest first. */
export function recentVmEvents(db: Database, uuid: string, limit: number): VmEventRecord[] {
  return db
    .prepare(
      `SELECT e.ts AS ts, e.kind AS kind, e.detail AS detail
       FROM vm_events e JOIN vms v ON v.id = e.vm_id
       WHERE v.uuid = ? ORDER BY e.ts DESC, e.id DESC LIMIT ?`,
    )
    .all(uuid, limit) as VmEventRecord[];
}

/**
 * The most recent events of every VM last seen on a host (by its key), newest first;
 * none for a host the history does not know yet.
 */
export function recentHostEvents(db: Database, hostKey: string, limit: number): HostEventRecord[] {
  return db
    .prepare(
      `SELECT e.ts AS ts, e.kind AS kind, e.detail AS detail, v.uuid AS vmUuid, v.name AS vmName
       FROM vm_events e JOIN vms v ON v.id = e.vm_id JOIN hosts h ON h.id = v.host_id
       WHERE h.key = ? ORDER BY e.ts DESC, e.id DESC LIMIT ?`,
    )
    .all(hostKey, limit) as HostEventRecord[];
}
