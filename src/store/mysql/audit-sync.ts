import type { Database } from 'better-sqlite3';
import type { Connection } from 'mysql2/promise';
import { auditAfter } from '../audit-log';
import type { AuditEntry } from '../../shared/model/audit-entry';
import { centralWidth } from './central-columns';
import { datetimeText, fitKey, fitText, integerValue, uuidProblem } from './central-values';

/** The central row of one entry, its values fitted to setmov_audit's columns; null if it cannot be one. */
function auditValues(e: AuditEntry): (string | number | null)[] | null {
  const ts = datetimeText(e.ts);
  if (ts === null || uuidProblem(e.vmUuid) !== null) return null;
  const text = (column: string, value: string) =>
    fitText(value, centralWidth('setmov_audit', column));
  return [
    e.vmUuid,
    ts,
    e.change,
    text('vm_name', e.vmName),
    text('host_name', e.host),
    text('actor', e.actor),
    e.recommendation === null
      ? null
      : fitKey(e.recommendation, centralWidth('setmov_audit', 'recommendation')),
    integerValue(e.before, 64),
    integerValue(e.after, 64) ?? 0,
    e.scope,
    e.result,
    e.detail === null ? null : text('detail', e.detail),
  ];
}

/**
 * Sends the audit entries after `afterId` to setmov_audit; returns the last id it dealt
 * with (an entry MySQL cannot hold, e.g. a time outside DATETIME, is passed over: the
 * local log keeps it). Values are bound, never quoted into the SQL; (uuid, ts, change)
 * keys the row, so a resend changes nothing.
 */
export async function sendAudit(conn: Connection, db: Database, afterId: number): Promise<number> {
  let last = afterId;
  for (;;) {
    const entries = auditAfter(db, last, 500);
    if (entries.length === 0) return last;
    for (const entry of entries) {
      const values = auditValues(entry);
      if (values !== null) {
        await conn.execute(
          `INSERT INTO setmov_audit (uuid, ts, change_kind, vm_name, host_name, actor, recommendation,
             before_value, after_value, scope, result, detail)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON DUPLICATE KEY UPDATE ts = ts`,
          values,
        );
      }
      last = entry.id;
    }
  }
}
