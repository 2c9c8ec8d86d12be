import mysql from 'mysql2/promise';
import type { Connection } from 'mysql2/promise';
import type { Database } from 'better-sqlite3';
import { openDatabase } from '../sqlite/open-database';
import { connectionOptions, targetKey } from './mysql-target';
import type { MysqlTarget } from './mysql-target';
import { assertMysqlSchema, initMysqlSchema } from './mysql-schema';
import { Outbox, mysqlDatetime, t2Columns, t4Columns } from './outbox';
import type { OutboxBatch, T1Row, T3Row } from './outbox';
import { SyncError, classifyMysqlError, probeGreeting } from './sync-error';
import type { SyncErrorCode } from './sync-error';

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
}

export interface MysqlSyncOptions {
  /** The SQLite file the collector writes; the sync opens its own connection (WAL). */
  dbPath: string;
  target: MysqlTarget;
  password: string;
  /** Rows per table per round (default 5000); each round is one MySQL transaction. */
  batchRows?: number;
  /** Rows per INSERT statement (default 1000). */
  rowsPerStatement?: number;
  /** Pause between rounds when caught up, ms (default 2000). */
  intervalMs?: number;
  connectTimeoutMs?: number;
  /** Longest pause after failures, ms (default 30000). */
  maxBackoffMs?: number;
  now?: () => number;
}

/**
 * Sends the SQLite history to MySQL's t1–t4, resumably. All MySQL work is async; the
 * SQLite reads are short (one indexed range per round), so running this in the same
 * process as ingest never stalls collection. A failure never throws out of `follow`:
 * it lands in `status().lastError` and the loop retries with backoff.
 */
export class MysqlSync {
  private readonly db: Database;
  private readonly outbox: Outbox;
  private conn: Connection | null = null;
  /**
   * What this connection already wrote to t1/t3 (key → fingerprint), so a round rewrites
   * only hosts and VMs that changed, and last_seen about once a minute.
   */
  private readonly written = new Map<string, string>();
  private readonly current: SyncStatus;
  private readonly now: () => number;

  constructor(private readonly options: MysqlSyncOptions) {
    this.now = options.now ?? Date.now;
    this.db = openDatabase(options.dbPath);
    const target = targetKey(options.target);
    this.outbox = new Outbox(this.db, target);
    this.current = {
      target,
      state: 'idle',
      lastSuccessAt: null,
      lagSamples: this.outbox.lag(),
      lastError: null,
      sentRows: 0,
    };
  }

  status(): SyncStatus {
    return { ...this.current, lastError: this.current.lastError && { ...this.current.lastError } };
  }

  /** Creates or upgrades the central tables; returns [from, to] versions. */
  async init(): Promise<[number, number]> {
    return this.guard(async () => initMysqlSchema(await this.connection(false)));
  }

  /** Sends everything waiting, round after round, until caught up. Throws a SyncError. */
  async syncOnce(): Promise<number> {
    return this.guard(async () => {
      const conn = await this.connection(true);
      const limit = this.options.batchRows ?? 5000;
      let sent = 0;
      let batch = this.outbox.readBatch(limit);
      for (;;) {
        const sending = this.round(conn, batch);
        // Read and encode the next batch while the server works on this one; it starts
        // where this batch ends, so a failure below simply drops it unsent.
        let next: OutboxBatch | null = null;
        if (batch.t2.length >= limit || batch.t4.length >= limit) {
          try {
            next = this.outbox.readBatch(limit, batch.lastHostSampleId, batch.lastVmSampleId);
          } catch (error) {
            await sending.catch(() => undefined);
            throw error;
          }
        }
        const rows = await sending;
        sent += rows;
        if (rows === 0) break;
        batch = next ?? this.outbox.readBatch(limit);
      }
      this.current.lastSuccessAt = this.now();
      this.current.lastError = null;
      return sent;
    });
  }

  /** Syncs until the signal aborts; errors go to the status, then a backoff and a retry. */
  async follow(signal: AbortSignal, onRound?: (status: SyncStatus) => void): Promise<void> {
    const interval = this.options.intervalMs ?? 2000;
    const maxBackoff = this.options.maxBackoffMs ?? 30_000;
    let backoff = interval;
    while (!signal.aborted) {
      try {
        await this.syncOnce();
        backoff = interval;
      } catch {
        backoff = Math.min(Math.max(backoff * 2, 1000), maxBackoff);
      }
      onRound?.(this.status());
      await sleep(this.current.lastError ? backoff : interval, signal);
    }
    this.current.state = 'stopped';
  }

  async close(): Promise<void> {
    await this.dropConnection();
    if (this.db.open) this.db.close();
    this.current.state = 'stopped';
  }

  private async guard<T>(work: () => Promise<T>): Promise<T> {
    this.current.state = 'syncing';
    try {
      const result = await work();
      this.current.state = 'idle';
      return result;
    } catch (error) {
      const typed = classifyMysqlError(error, this.where());
      this.current.state = 'error';
      this.current.lastError = { code: typed.code, message: typed.message, at: this.now() };
      await this.dropConnection();
      throw typed;
    } finally {
      if (this.db.open) this.current.lagSamples = this.outbox.lag();
    }
  }

  private where(): string {
    return `MySQL ${this.options.target.host}:${this.options.target.port}`;
  }

  private async connection(checkSchema: boolean): Promise<Connection> {
    if (this.conn) return this.conn;
    const { target, password, connectTimeoutMs } = this.options;
    let conn: Connection;
    try {
      conn = await mysql.createConnection(
        connectionOptions(target, password, connectTimeoutMs ?? 10_000),
      );
    } catch (error) {
      const typed = classifyMysqlError(error, this.where());
      // A handshake that times out or breaks off: is there a MySQL server at all?
      if (['timeout', 'connection-lost', 'not-mysql'].includes(typed.code)) {
        const verdict = await probeGreeting(target.host, target.port, 2000);
        if (verdict)
          throw new SyncError('not-mysql', `${this.where()} is not a MySQL server: it ${verdict}`);
      }
      throw typed;
    }
    // A dead connection surfaces on the next query; this only keeps the error off the process.
    conn.on('error', () => undefined);
    try {
      await conn.query("SET time_zone = '+00:00'");
      if (checkSchema) await assertMysqlSchema(conn);
    } catch (error) {
      conn.destroy();
      throw error;
    }
    this.conn = conn;
    return conn;
  }

  private async dropConnection(): Promise<void> {
    const conn = this.conn;
    this.conn = null;
    this.written.clear();
    if (conn) conn.destroy();
  }

  /** One batch: t1/t3 first (foreign keys), then t2/t4, one transaction; then the watermarks. */
  private async round(conn: Connection, batch: OutboxBatch): Promise<number> {
    const hosts = this.outbox
      .hostsToSend(batch.hostIds)
      .filter((h) => this.written.get(`h:${h.hostIp}`) !== hostPrint(h));
    const vms = this.outbox
      .vmsToSend(batch.vmIds)
      .filter((v) => this.written.get(`v:${v.uuid}`) !== vmPrint(v));
    // InnoDB appends in key order far faster than it inserts at random places.
    batch.t4.sort(byKeyAndTs);
    batch.t2.sort(byKeyAndTs);
    if (batch.t2.length === 0 && batch.t4.length === 0 && hosts.length === 0 && vms.length === 0)
      return 0;
    // One statement per table per batch by default: 5,000 t4 rows are ≈ 1 MB of SQL,
    // far below max_allowed_packet (16 MB on MariaDB 10.11 and MySQL 8 by default).
    const per = this.options.rowsPerStatement ?? this.options.batchRows ?? 5000;
    // Every statement is queued on the connection at once (mysql2 runs them in order), so
    // the caller can read the next batch while the server works; COMMIT is sent only
    // after all of them succeeded.
    const work: Promise<unknown>[] = [conn.beginTransaction()];
    for (const h of hosts) work.push(upsertHost(conn, h));
    for (const v of vms) work.push(upsertVm(conn, v));
    for (let i = 0; i < batch.t2.length; i += per) {
      work.push(insertUsage(conn, 't2_host_usage', t2Columns, batch.t2.slice(i, i + per)));
    }
    for (let i = 0; i < batch.t4.length; i += per) {
      work.push(insertUsage(conn, 't4_vm_usage', t4Columns, batch.t4.slice(i, i + per)));
    }
    try {
      await Promise.all(work);
      await conn.commit();
    } catch (error) {
      await conn.rollback().catch(() => undefined);
      throw error;
    }
    try {
      this.outbox.advance(
        {
          host_samples: batch.lastHostSampleId,
          vm_samples: batch.lastVmSampleId,
          hosts: Math.max(this.outbox.mark('hosts'), ...hosts.map((h) => h.seq)),
          vms: Math.max(this.outbox.mark('vms'), ...vms.map((v) => v.seq)),
        },
        this.now(),
      );
    } catch (error) {
      throw new SyncError(
        'local-store',
        `cannot record the sync position: ${(error as Error).message}`,
      );
    }
    for (const h of hosts) this.written.set(`h:${h.hostIp}`, hostPrint(h));
    for (const v of vms) this.written.set(`v:${v.uuid}`, vmPrint(v));
    const rows = batch.t2.length + batch.t4.length;
    this.current.sentRows += rows;
    return rows;
  }
}

/**
 * Usage rows are immutable samples: on a duplicate (key, ts) nothing changes. The no-op
 * `ts = ts` form works on MySQL 8 and MariaDB alike, where VALUES() is deprecated on
 * MySQL 8.0.20+ and the `AS new` row alias is MySQL-only.
 */
async function insertUsage(
  conn: Connection,
  table: string,
  columns: string[],
  rows: unknown[][],
): Promise<void> {
  await conn.query(
    `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${sqlValues(conn, rows)} ON DUPLICATE KEY UPDATE ts = ts`,
  );
}

/**
 * The VALUES list built in one pass: the rows hold only numbers, nulls and short strings,
 * so numbers go out as their decimal text and only strings take mysql2's escaping (the
 * generic per-value formatter was most of the sync's JS time).
 */
function sqlValues(conn: Connection, rows: unknown[][]): string {
  const out: string[] = new Array<string>(rows.length);
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r] as unknown[];
    let sql = '(';
    for (let i = 0; i < row.length; i++) {
      const v = row[i];
      if (i > 0) sql += ',';
      if (typeof v === 'number') sql += Number.isFinite(v) ? String(v) : 'NULL';
      else if (v === null || v === undefined) sql += 'NULL';
      else sql += conn.escape(v);
    }
    out[r] = `${sql})`;
  }
  return out.join(',');
}

/** One row at a time with explicit parameters: portable without VALUES(), and t1 rows are few. */
async function upsertHost(conn: Connection, h: T1Row): Promise<void> {
  await conn.query(
    `INSERT INTO t1_host (host_ip, host_name, vmc, cpu_cores, memory_bytes, updated_at)
     VALUES (?, ?, ?, ?, ?, UTC_TIMESTAMP(3))
     ON DUPLICATE KEY UPDATE host_name = ?, vmc = ?, cpu_cores = coalesce(?, cpu_cores),
       memory_bytes = coalesce(?, memory_bytes), updated_at = UTC_TIMESTAMP(3)`,
    [
      h.hostIp,
      h.hostName,
      h.vmc,
      h.cores,
      h.memoryBytes,
      h.hostName,
      h.vmc,
      h.cores,
      h.memoryBytes,
    ],
  );
}

/** lct only moves forward, so two consoles watching the same VM agree on the latest connect. */
async function upsertVm(conn: Connection, v: T3Row): Promise<void> {
  const lct = v.lct === null ? null : mysqlDatetime(v.lct);
  const lastSeen = v.lastSeen === null ? null : mysqlDatetime(v.lastSeen);
  await conn.query(
    `INSERT INTO t3_vm (uuid, host_ip, name, state, lct, connected_now, vcpus, last_seen, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, UTC_TIMESTAMP(3))
     ON DUPLICATE KEY UPDATE host_ip = ?, name = ?, state = ?, lct = coalesce(greatest(lct, ?), lct, ?),
       connected_now = ?, vcpus = coalesce(?, vcpus), last_seen = coalesce(greatest(last_seen, ?), last_seen, ?),
       updated_at = UTC_TIMESTAMP(3)`,
    [
      v.uuid,
      v.hostIp,
      v.name,
      v.state,
      lct,
      v.connectedNow,
      v.vcpus,
      lastSeen,
      v.hostIp,
      v.name,
      v.state,
      lct,
      lct,
      v.connectedNow,
      v.vcpus,
      lastSeen,
      lastSeen,
    ],
  );
}

function hostPrint(h: T1Row): string {
  return `${h.seq}|${h.vmc}|${h.hostName}`;
}

function vmPrint(v: T3Row): string {
  return `${v.seq}|${v.hostIp}|${Math.floor((v.lastSeen ?? 0) / 60_000)}`;
}

function byKeyAndTs(a: unknown[], b: unknown[]): number {
  const ka = a[0] as string;
  const kb = b[0] as string;
  if (ka !== kb) return ka < kb ? -1 : 1;
  return (a[1] as string) < (b[1] as string) ? -1 : (a[1] as string) > (b[1] as string) ? 1 : 0;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
