/** Why a round of the MySQL sync failed, by kind: what the console explains to the user. */
export type SyncErrorCode =
  | 'bad-config'
  | 'auth-failed'
  | 'unknown-database'
  | 'create-database-denied'
  | 'connection-refused'
  | 'host-not-found'
  | 'timeout'
  | 'not-mysql'
  | 'tls'
  | 'schema-missing'
  | 'schema-old'
  | 'schema-too-new'
  | 'connection-lost'
  | 'node-not-ready'
  | 'write-conflict'
  | 'not-permitted'
  | 'mysql-error'
  | 'local-store';

/** A row a target could not take, kept aside so the rest went on. */
export interface SyncParkedRow {
  /** The central table the row was for (t1_host, t2_host_usage, ...). */
  table: string;
  /** host_ip (t1/t2) or uuid (t3/t4) as stored locally, before fitting. */
  entity: string;
  /** The sample's time, ms since the epoch; null for t1/t3 rows. */
  ts: number | null;
  /** host_samples / vm_samples id of a t2 / t4 row; null for t1/t3 rows. */
  sampleId: number | null;
  /** What the boundary or the server said. */
  reason: string;
  /** When it was parked, ms since the epoch. */
  at: number;
}

/** What the UI shows about the sync. */
export interface SyncStatus {
  target: string;
  state: 'idle' | 'syncing' | 'error' | 'stopped';
  /** ms since the epoch of the last round that reached "caught up". */
  lastSuccessAt: number | null;
  /** Samples in SQLite not yet in MySQL. */
  lagSamples: number;
  lastError: { code: SyncErrorCode; message: string; at: number } | null;
  /** Usage rows sent since this sync started. */
  sentRows: number;
  /**
   * Rows this target could not take, parked with their reason (SQLite sync_parked) so
   * the rest went on, and the latest of them.
   */
  parkedRows: number;
  lastParked: SyncParkedRow | null;
  /** The server in use (host:port), one node of a cluster target; null before the first connect. */
  node: string | null;
  /** Times the sync moved to the next node of the target because the one in use was gone. */
  failovers: number;
  /** Batches sent again whole because the cluster refused them (certification, deadlock). */
  conflictRetries: number;
  /** Usage rows past the central retention this sync deleted since it started. */
  prunedRows: number;
  /** ms since the epoch of the oldest sample not yet sent; null when nothing waits. */
  oldestPendingAt: number | null;
}

/** The MySQL target as the console shows it: no password, only whether one is kept. */
export interface SyncTargetView {
  /** mysql://user@host:port/database */
  url: string;
  /** CA file (PEM) the server is verified against; null: no TLS. */
  tlsCaFile: string | null;
  /** A password is kept for this target (in the secret store, never shown). */
  hasPassword: boolean;
  /** The backend sends the history to it continuously. */
  enabled: boolean;
}

/** The sync as a whole: its target (null: none set) and the status of its runs. */
export interface SyncView {
  target: SyncTargetView | null;
  /** null until the sync first ran in this backend. */
  status: SyncStatus | null;
}
