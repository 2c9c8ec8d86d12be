import type { Database } from 'better-sqlite3';
import type { AuditEntry } from '../shared/model/audit-entry';
import { MINUTE_MS } from '../shared/time-ms';
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

/** How long after its 'started' entry an outcome is taken as that change's (ms). */
const OUTCOME_WITHIN_MS = 10 * MINUTE_MS;

/**
 * A 'started' entry whose outcome follows it: the outcome says all, so a list shows the
 * change once. One with no outcome stays: the change's end was never known.
 */
const SETTLED_START = `a.result = 'started' AND EXISTS (
  SELECT 1 FROM audit_log b
  WHERE b.id > a.id AND b.vm_uuid = a.vm_uuid AND b.change_kind = a.change_kind
    AND b.recommendation IS a.recommendation AND b.result != 'started'
    AND b.ts - a.ts BETWEEN 0 AND ${OUTCOME_WITHIN_MS})`;

/**
 * Entries newest first: of one VM when uuid is given, at most limit. A change's
 * 'started' entry is left out once its outcome is there, unless every entry is asked for.
 */
export function readAudit(
  store: Store,
  options: { uuid?: string; limit?: number; everyEntry?: boolean } = {},
) {
  const limit = Math.max(1, Math.min(options.limit ?? 200, 10_000));
  const conditions = [
    ...(options.uuid === undefined ? [] : ['a.vm_uuid = @uuid']),
    ...(options.everyEntry ? [] : [`NOT (${SETTLED_START})`]),
  ];
  const where = conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
  return withStoreErrors(store.path, () => {
    const rows = store.db
      .prepare(`SELECT a.* FROM audit_log a ${where} ORDER BY a.id DESC LIMIT @limit`)
      .all({ limit, ...(options.uuid === undefined ? {} : { uuid: options.uuid }) }) as AuditRow[];
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
