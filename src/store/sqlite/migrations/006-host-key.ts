import type { Database } from 'better-sqlite3';
import type { SqliteMigration } from '../sqlite-migration';

/**
 * A host is keyed by its identity (`key`: the saved host's id, or the host's own name for
 * a collection not tied to a saved host), not by the hostname it reports: two cloned
 * hosts that both call themselves `localhost` keep two histories, and a renamed host
 * keeps its own. `name` stays what the host calls itself (a fact, no longer unique);
 * `label` is what the admin named it. The rows written before are keyed by the name they
 * had, so nothing is lost; the backend re-keys them to their saved host when it starts.
 * SQLite cannot drop a UNIQUE constraint in place: the table is copied, ids kept, so
 * every sample, VM and rollup still points at its host.
 */
export const migration006: SqliteMigration = {
  version: 6,
  description: 'hosts keyed by identity; hostname a fact; the admin label',
  rebuildsTable: true,
  up(db: Database): void {
    db.exec(`
      CREATE TABLE hosts_by_key (
        id INTEGER PRIMARY KEY,
        key TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL,
        label TEXT,
        ip TEXT,
        cores INTEGER,
        memory_bytes INTEGER,
        vm_count INTEGER,
        status TEXT,
        status_detail TEXT,
        status_ts INTEGER,
        seq INTEGER NOT NULL DEFAULT 0
      );
      INSERT INTO hosts_by_key
        (id, key, name, ip, cores, memory_bytes, vm_count, status, status_detail, status_ts, seq)
        SELECT id, name, name, ip, cores, memory_bytes, vm_count, status, status_detail,
          status_ts, seq
        FROM hosts;
      DROP TABLE hosts;
      ALTER TABLE hosts_by_key RENAME TO hosts;
    `);
  },
};
