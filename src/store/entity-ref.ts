import type { Database } from 'better-sqlite3';
import { StoreError } from './store-error';

/** A host by name, or a VM by uuid or by name (the most recently seen VM of that name). */
export type EntityRef =
  { kind: 'host'; name: string } | { kind: 'vm'; uuid?: string; name?: string };

export interface ResolvedEntity {
  kind: 'host' | 'vm';
  id: number;
  name: string;
  uuid: string | null;
}

export function resolveEntity(db: Database, ref: EntityRef): ResolvedEntity {
  if (ref.kind === 'host') {
    const row = db.prepare('SELECT id, name FROM hosts WHERE name = ?').get(ref.name) as
      { id: number; name: string } | undefined;
    if (!row) throw new StoreError('unknown-entity', `no host named '${ref.name}' in the store`);
    return { kind: 'host', id: row.id, name: row.name, uuid: null };
  }
  const key = ref.uuid ?? ref.name;
  const row = db
    .prepare(
      `SELECT id, name, uuid FROM vms WHERE uuid = ? OR name = ?
       ORDER BY (uuid = ?) DESC, coalesce(last_seen, 0) DESC LIMIT 1`,
    )
    .get(ref.uuid ?? null, ref.name ?? null, ref.uuid ?? null) as
    { id: number; name: string; uuid: string } | undefined;
  if (!row) throw new StoreError('unknown-entity', `no VM '${key ?? ''}' in the store`);
  return { kind: 'vm', id: row.id, name: row.name, uuid: row.uuid };
}
