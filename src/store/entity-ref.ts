import type { Database } from 'better-sqlite3';
import { StoreError } from './store-error';

/**
 * A host by its key (a saved host's id, or the hostname of one collected without one) or
 * by a name people use (its label or hostname, as `setmov export --host` is given one),
 * or a VM by uuid or by name (the most recently seen VM of that name).
 */
export type EntityRef =
  | { kind: 'host'; key: string }
  | { kind: 'host'; name: string }
  | { kind: 'vm'; uuid?: string; name?: string };

export interface ResolvedEntity {
  kind: 'host' | 'vm';
  id: number;
  name: string;
  uuid: string | null;
}

export function resolveEntity(db: Database, ref: EntityRef): ResolvedEntity {
  if (ref.kind === 'host') {
    const row = (
      'key' in ref
        ? db
            .prepare('SELECT id, coalesce(label, name) AS name FROM hosts WHERE key = ?')
            .get(ref.key)
        : db
            .prepare(
              `SELECT id, coalesce(label, name) AS name FROM hosts
               WHERE key = @name OR label = @name OR name = @name
               ORDER BY (key = @name) DESC, (label = @name) DESC, seq DESC LIMIT 1`,
            )
            .get({ name: ref.name })
    ) as { id: number; name: string } | undefined;
    const which = 'key' in ref ? ref.key : ref.name;
    if (!row) throw new StoreError('unknown-entity', `no host '${which}' in the store`);
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
