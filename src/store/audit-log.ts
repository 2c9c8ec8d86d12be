import type { Database } from 'better-sqlite3';
import type { AuditEntry } from '../shared/model/audit-entry';
import type { Store } from './store';
import { withStoreErrors } from './sqlite/sqlite-failure';

interface AuditRow {
  id: number;
  ts: number;
  actor: string;
  host: string;
  vm_uuid: string;
  vm_name: string;
  change_kind: AuditEntry['change'];
  recommendation: string | null;
  before_value: number | null;
  after_value: number;
  scope: AuditEntry['scope'];
  result: AuditEntry['result'];
  detail: string | null;
}

const fromRow = (r: AuditRow): AuditEntry => ({
  id: r.id,
  ts: r.ts,
  actor: r.actor,
  host: r.host,
  vmUuid: r.vm_uuid,
  vmName: r.vm_name,
  change: r.change_kind,
  recommendation: r.recommendation,
  before: r.before_value,
  after: r.after_value,
  scope: r.scope,
  result: r.result,
  detail: r.detail,
});

/** Writes one entry; returns it with its id. A full disk is a StoreError like any write. */
export function recordAudit(store: Store, entry: Omit<AuditEntry, 'id'>): AuditEntry {
  return withStoreErrors(store.path, () => {
    const { lastInsertRowid } = store.db
      .prepare(
        `INSERT INTO audit_log (ts, actor, host, vm_uuid, vm_name, change_kind, recommendation,
           before_value, after_value, scope, result, detail)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        entry.ts,
        entry.actor,
        entry.host,
        entry.vmUuid,
        entry.vmName,
        entry.change,
        entry.recommendation,
        entry.before,
        entry.after,
        entry.scope,
        entry.result,
        entry.detail,
      );
    return { ...entry, id: Number(lastInsertRowid) };
  });
}

/** Entries newest first: of one VM when uuid is given, at most limit. */
export function readAudit(store: Store, options: { uuid?: string; limit?: number } = {}) {
  const limit = Math.max(1, Math.min(options.limit ?? 200, 10_000));
  return withStoreErrors(store.path, () => {
    const rows = (
      options.uuid === undefined
        ? store.db.prepare('SELECT * FROM audit_log ORDER BY id DESC LIMIT ?').all(limit)
        : store.db
            .prepare('SELECT * FROM audit_log WHERE vm_uuid = ? ORDER BY id DESC LIMIT ?')
            .all(options.uuid, limit)
    ) as AuditRow[];
    return rows.map(fromRow);
  });
}

/** Entries with an id above afterId, oldest first: what the MySQL sync sends next. */
export function auditAfter(db: Database, afterId: number, limit: number): AuditEntry[] {
  const rows = db
    .prepare('SELECT * FROM audit_log WHERE id > ? ORDER BY id LIMIT ?')
    .all(afterId, limit) as AuditRow[];
  return rows.map(fromRow);
}

const auditColumns = [
  'id',
  'time',
  'actor',
  'host',
  'vmUuid',
  'vmName',
  'change',
  'recommendation',
  'before',
  'after',
  'scope',
  'result',
  'detail',
] as const;

/**
 * One CSV cell: quoted when it holds a comma, quote or line break; a text starting with
 * = + - @ gets a leading ' so a spreadsheet shows a hostile VM name instead of running it.
 */
function csvCell(value: string | number | null): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** The entries as CSV (a header line, one line each) or a JSON array. */
export function formatAudit(entries: readonly AuditEntry[], format: 'csv' | 'json'): string {
  const records = entries.map((e) => ({ ...e, time: new Date(e.ts).toISOString() }));
  if (format === 'json') return `${JSON.stringify(records, null, 2)}\n`;
  const lines = records.map((r) => auditColumns.map((c) => csvCell(r[c])).join(','));
  return [auditColumns.join(','), ...lines].join('\n') + '\n';
}
