import type { Database } from 'better-sqlite3';
import type { VmEventRecord } from '../shared/model/host-view';

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
