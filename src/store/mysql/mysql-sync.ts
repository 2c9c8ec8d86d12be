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

  /**
   * Sends everything waiting, batch after batch, until caught up. Throws a SyncError.
   *
   * Two batches are in flight: batch n+1 is read, encoded and queued on the connection
   * (mysql2 runs commands in order) before batch n's COMMIT is awaited, so the server
   * always has the next transaction waiting while this side prepares the one after.
   * Watermarks move strictly in order, batch by batch, after each COMMIT: if batch n
   * fails, nothing of n or later is marked sent, and what n+1 may already have committed
   * is simply sent again later, which the (key, ts) upsert absorbs.
   */
  async syncOnce(): Promise<number> {
    return this.guard(async () => {
      const conn = await this.connection(true);
      const limit = this.options.batchRows ?? 5000;
      let sent = 0;
      let pending: QueuedBatch | null = null;
      let batch: OutboxBatch | null = this.outbox.readBatch(limit);
      try {
        while (batch || pending) {
          const queued: QueuedBatch | null = batch ? this.queue(conn, batch) : null;
          const full = batch !== null && (batch.t2.length >= limit || batch.t4.length >= limit);
          if (pending) {
            await pending.done;
            sent += this.settle(pending);
          }
          pending = queued;
          if (full && batch) {
            batch = this.outbox.readBatch(limit, batch.lastHostSampleId, batch.lastVmSampleId);
          } else if (queued) {
            // A short batch: let it land, then look again from the watermarks for
            // samples ingested meanwhile.
            await queued.done;
            sent += this.settle(queued);
            pending = null;
            batch = this.outbox.readBatch(limit);
          } else {
            batch = null;
          }
        }
      } catch (error) {
        await pending?.done.catch(() => undefined);
        throw error;
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

  /**
   * Queues one batch as one transaction: t1/t3 first (foreign keys), then t2/t4, then
   * COMMIT, all sent at once. A statement that fails rolls back by itself (InnoDB undoes a
   * failed statement whole); the COMMIT behind it then only keeps the idempotent t1/t3
   * upserts, and the batch's watermarks do not move. Null when there is nothing to send.
   */
  private queue(conn: Connection, batch: OutboxBatch): QueuedBatch | null {
    const hosts = this.outbox
      .hostsToSend(batch.hostIds)
      .filter((h) => this.written.get(`h:${h.hostIp}`) !== hostPrint(h));
    const vms = this.outbox
      .vmsToSend(batch.vmIds)
      .filter((v) => this.written.get(`v:${v.uuid}`) !== vmPrint(v));
    if (batch.t2.length === 0 && batch.t4.length === 0 && hosts.length === 0 && vms.length === 0)
      return null;
    // One statement per table per batch by default: 5,000 t4 rows are ≈ 1 MB of SQL,
    // far below max_allowed_packet (16 MB on MariaDB 10.11 and MySQL 8 by default).
    const per = this.options.rowsPerStatement ?? this.options.batchRows ?? 5000;
    const work: Promise<unknown>[] = [conn.beginTransaction()];
    for (const h of hosts) work.push(upsertHost(conn, h));
    for (const v of vms) work.push(upsertVm(conn, v));
    for (let i = 0; i < batch.t2.length; i += per) {
      work.push(insertUsage(conn, 't2_host_usage', t2Columns, batch.t2.slice(i, i + per)));
    }
    for (let i = 0; i < batch.t4.length; i += per) {
      work.push(insertUsage(conn, 't4_vm_usage', t4Columns, batch.t4.slice(i, i + per)));
    }
    work.push(conn.commit());
    const done = Promise.all(work);
    // Awaited later (after the next batch is queued); until then a rejection is not unhandled.
    done.catch(() => undefined);
    return { batch, hosts, vms, done };
  }

  /** After a batch's COMMIT: its watermarks, the t1/t3 cache, the counters. */
  private settle({ batch, hosts, vms }: QueuedBatch): number {
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

interface QueuedBatch {
  batch: OutboxBatch;
  hosts: T1Row[];
  vms: T3Row[];
  /** Settles when the batch's COMMIT has been answered. */
  done: Promise<unknown>;
}

/**
 * Usage rows are immutable samples: on a duplicate (key, ts) nothing changes. The no-op
 * `ts = ts` form works on MySQL 8 and MariaDB alike, where VALUES() is deprecated on
 * MySQL 8.0.20+ and the `AS new` row alias is MySQL-only. The tuples come ready from
 * the outbox (see usageTuples there).
 */
async function insertUsage(
  conn: Connection,
  table: string,
  columns: string[],
  tuples: string[],
): Promise<void> {
  await conn.query(
    `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${tuples.join(',')} ON DUPLICATE KEY UPDATE ts = ts`,
  );
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
