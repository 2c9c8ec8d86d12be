import mysql from 'mysql2/promise';
import type { Connection, ConnectionOptions } from 'mysql2/promise';
import type { Database } from 'better-sqlite3';
import { openDatabase } from '../sqlite/open-database';
import { connectionOptions, targetKey } from './mysql-target';
import type { MysqlTarget } from './mysql-target';
import { assertMysqlSchema, initMysqlSchema, mysqlSchemaVersion } from './mysql-schema';
import { createMysqlDatabase } from './create-database';
import { t1Values, t3Values } from './central-rows';
import type { T1Values, T3Values } from './central-rows';
import type { CentralTable } from './central-columns';
import { Outbox, t2Columns, t4Columns } from './outbox';
import type { OutboxBatch, T1Row, T3Row, Value } from './outbox';
import { ParkedRows } from './parked-rows';
import { sendAudit } from './audit-sync';
import { syncRounds } from './sync-rounds';
import { MINUTE_MS } from '../../shared/time-ms';
import type { ParkedRow } from './parked-rows';
import {
  SyncError,
  classifyMysqlError,
  isRowDataError,
  probeGreeting,
  rowErrorReason,
} from './sync-error';
import type { SyncStatus } from '../../shared/model/sync-status';

/**
 * The session's sql_mode, whatever the server's default: strict, so a value that does not
 * fit is an error and never silently cut, and without NO_BACKSLASH_ESCAPES or ANSI_QUOTES
 * (the string literals do not depend on either, see sqlString, but the server's
 * setting must not change what other SQL means). Every mode named is valid on MySQL 8
 * and MariaDB.
 */
const SESSION_SQL_MODE =
  'STRICT_TRANS_TABLES,STRICT_ALL_TABLES,NO_ZERO_IN_DATE,NO_ZERO_DATE,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION';

export interface MysqlSyncOptions {
  /** The SQLite file the collector writes; the sync opens its own connection (WAL). */
  dbPath: string;
  target: MysqlTarget;
  password: string;
  /** Rows per table per round (default 5000); each round is one MySQL transaction. */
  batchRows?: number;
  /** Rows per INSERT statement (default 1000). */
  rowsPerStatement?: number;
  /** Pause between rounds when caught up, ms (default SYNC_INTERVAL_MS). */
  intervalMs?: number;
  connectTimeoutMs?: number;
  /** Longest pause after failures, ms (default SYNC_MAX_BACKOFF_MS). */
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
  private readonly parked: ParkedRows;
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
    this.parked = new ParkedRows(this.db, target);
    const parked = this.parked.summary();
    this.current = {
      target,
      state: 'idle',
      lastSuccessAt: null,
      lagSamples: this.outbox.lag(),
      lastError: null,
      sentRows: 0,
      parkedRows: parked.rows,
      lastParked: parked.last,
    };
  }

  status(): SyncStatus {
    return {
      ...this.current,
      lastError: this.current.lastError && { ...this.current.lastError },
      lastParked: this.current.lastParked && { ...this.current.lastParked },
    };
  }

  /**
   * Connects and reads the central schema's version (0: not created yet), without
   * touching the sync's state: what a "test" button asks. Throws a SyncError.
   */
  async schemaVersion(): Promise<number> {
    try {
      return await mysqlSchemaVersion(await this.connection(false));
    } catch (error) {
      await this.dropConnection();
      throw classifyMysqlError(error, this.where());
    }
  }

  /**
   * Creates or upgrades the central tables, and first the database when the server says
   * it does not exist; returns [from, to] versions.
   */
  async init(): Promise<[number, number]> {
    return this.guard(async () => initMysqlSchema(await this.creatingDatabase()));
  }

  /** The connection init works on: a database the server does not know is created first. */
  private async creatingDatabase(): Promise<Connection> {
    try {
      return await this.connection(false);
    } catch (error) {
      if (!(error instanceof SyncError && error.code === 'unknown-database')) throw error;
    }
    let server: Connection;
    try {
      server = await mysql.createConnection({
        ...(await this.connectOptions()),
        database: undefined,
      });
    } catch (error) {
      throw classifyMysqlError(error, this.where());
    }
    server.on('error', () => undefined);
    try {
      await createMysqlDatabase(server, this.options.target.database, this.where());
    } finally {
      server.destroy();
    }
    return this.connection(false);
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
   *
   * A batch that fails on its rows' values (isRowDataError) is sent again in parts until
   * the failing rows are found; they are parked with the server's reason and the
   * watermarks move past them, so one bad row never holds back the rest.
   */
  async syncOnce(): Promise<number> {
    return this.guard(async () => {
      const conn = await this.connection(true);
      // A target that answered with its schema holds unsent samples against pruning.
      try {
        this.outbox.register(this.now());
      } catch (error) {
        throw new SyncError('local-store', `cannot record the target: ${(error as Error).message}`);
      }
      const limit = this.options.batchRows ?? 5000;
      let sent = 0;
      let pending: QueuedBatch | null = null;
      let batch: OutboxBatch | null = this.outbox.readBatch(limit);
      try {
        while (batch || pending) {
          const queued: QueuedBatch | null = batch ? this.queue(conn, batch) : null;
          if (pending) {
            const landed = await this.land(conn, pending);
            sent += landed.rows;
            if (!landed.clean) {
              // Batch n+1 went out behind a failed batch n: let it finish, then read it
              // again from the watermarks n just moved.
              await queued?.done.catch(() => undefined);
              pending = null;
              batch = this.outbox.readBatch(limit);
              continue;
            }
          }
          pending = queued;
          if (batch?.full) {
            batch = this.outbox.readBatch(limit, batch.lastHostSampleId, batch.lastVmSampleId);
          } else if (queued) {
            // A short batch: let it land, then look again from the watermarks for
            // samples ingested meanwhile.
            pending = null;
            sent += (await this.land(conn, queued)).rows;
            batch = this.outbox.readBatch(limit);
          } else {
            batch = null;
          }
        }
      } catch (error) {
        await pending?.done.catch(() => undefined);
        throw error;
      }
      // The audit log is small and written by hand: sent after the samples, each entry
      // once (its watermark moves after each run of entries the server took).
      const audited = await sendAudit(conn, this.db, this.outbox.mark('audit'));
      if (audited !== this.outbox.mark('audit'))
        this.outbox.advance({ audit: audited }, this.now());
      this.current.lastSuccessAt = this.now();
      this.current.lastError = null;
      return sent;
    });
  }

  /** Syncs until the signal aborts; errors go to the status, then a backoff and a retry. */
  async follow(signal: AbortSignal, onRound?: (status: SyncStatus) => void): Promise<void> {
    await syncRounds({
      signal,
      intervalMs: this.options.intervalMs,
      maxBackoffMs: this.options.maxBackoffMs,
      round: async () => {
        const failed = await this.syncOnce().then(
          () => false,
          () => true,
        );
        onRound?.(this.status());
        return failed;
      },
    });
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

  private async connectOptions(): Promise<ConnectionOptions> {
    const { target, password, connectTimeoutMs } = this.options;
    return connectionOptions(target, password, connectTimeoutMs ?? 10_000);
  }

  private async connection(checkSchema: boolean): Promise<Connection> {
    if (this.conn) return this.conn;
    const { target } = this.options;
    let conn: Connection;
    try {
      conn = await mysql.createConnection(await this.connectOptions());
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
      await conn.query(`SET time_zone = '+00:00', sql_mode = '${SESSION_SQL_MODE}'`);
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
   * failed statement whole); the COMMIT behind it then only keeps what succeeded, which
   * is idempotent, and the batch's watermarks do not move. Null when nothing was read.
   */
  private queue(conn: Connection, batch: OutboxBatch): QueuedBatch | null {
    const parked = [...batch.rejected];
    const hosts = entitiesToWrite(
      this.outbox
        .hostsToSend(batch.hostIds)
        .filter((row) => this.written.get(`h:${row.hostIp}`) !== hostPrint(row)),
      t1Values,
    );
    const vms = entitiesToWrite(
      this.outbox
        .vmsToSend(batch.vmIds)
        .filter((row) => this.written.get(`v:${row.uuid}`) !== vmPrint(row)),
      t3Values,
    );
    for (const h of hosts)
      if (h.problem) parked.push(entityRow('t1_host', h.row.hostIp, h.problem));
    for (const v of vms) if (v.problem) parked.push(entityRow('t3_vm', v.row.uuid, v.problem));
    if (
      batch.t2Rows.length + batch.t4Rows.length + batch.rejected.length === 0 &&
      hosts.length === 0 &&
      vms.length === 0
    )
      return null;
    // One statement per table per batch by default: 5,000 t4 rows are ≈ 1 MB of SQL,
    // far below max_allowed_packet (16 MB on MariaDB 10.11 and MySQL 8 by default).
    const per = this.rowsPerStatement();
    const work: Promise<unknown>[] = [conn.beginTransaction()];
    for (const h of hosts) if (h.values) work.push(upsertHost(conn, h.values));
    for (const v of vms) if (v.values) work.push(upsertVm(conn, v.values));
    for (let i = 0; i < batch.t2.length; i += per) {
      work.push(insertUsage(conn, 't2_host_usage', t2Columns, batch.t2.slice(i, i + per)));
    }
    for (let i = 0; i < batch.t4.length; i += per) {
      work.push(insertUsage(conn, 't4_vm_usage', t4Columns, batch.t4.slice(i, i + per)));
    }
    work.push(conn.commit());
    const done = Promise.allSettled(work).then((results) => {
      let rowError: unknown = null;
      for (const r of results) {
        if (r.status === 'fulfilled') continue;
        if (!isRowDataError(r.reason)) throw r.reason;
        rowError ??= r.reason;
      }
      return rowError;
    });
    // Awaited later (after the next batch is queued); until then a rejection is not unhandled.
    done.catch(() => undefined);
    return { batch, hosts, vms, parked, done };
  }

  private rowsPerStatement(): number {
    return this.options.rowsPerStatement ?? this.options.batchRows ?? 5000;
  }

  /** Waits for a queued batch; on a row error sends it again in parts. Then settles it. */
  private async land(conn: Connection, q: QueuedBatch): Promise<{ rows: number; clean: boolean }> {
    const rowError = await q.done;
    if (rowError === null) return { rows: this.settle(q, q.parked, 0), clean: true };
    const careful = await this.sendInParts(conn, q);
    return { rows: this.settle(q, careful.parked, careful.refusedTuples), clean: false };
  }

  /**
   * The batch again, outside a transaction (every statement is an idempotent upsert, and
   * the watermarks move only once it is all through): t1 and t3 row by row, usage rows
   * split in halves until each failing row stands alone. Rows of a host or VM whose own
   * t1/t3 row was refused are parked with that reason as soon as a part holds only them.
   */
  private async sendInParts(
    conn: Connection,
    q: QueuedBatch,
  ): Promise<{ parked: ParkedRow[]; refusedTuples: number }> {
    const parked = [...q.parked];
    const refused = new Map<string, string>();
    for (const h of q.hosts) {
      const reason = h.values ? await refusal(upsertHost(conn, h.values)) : null;
      if (reason !== null) parked.push(entityRow('t1_host', h.row.hostIp, reason));
      const why = reason ?? h.problem;
      if (why !== null)
        refused.set(`t2_host_usage:${h.row.hostIp}`, `its t1_host row was refused: ${why}`);
    }
    for (const v of q.vms) {
      const reason = v.values ? await refusal(upsertVm(conn, v.values)) : null;
      if (reason !== null) parked.push(entityRow('t3_vm', v.row.uuid, reason));
      const why = reason ?? v.problem;
      if (why !== null)
        refused.set(`t4_vm_usage:${v.row.uuid}`, `its t3_vm row was refused: ${why}`);
    }
    const before = parked.length;
    const per = this.rowsPerStatement();
    const usage = [
      ['t2_host_usage', t2Columns, q.batch.t2, q.batch.t2Rows],
      ['t4_vm_usage', t4Columns, q.batch.t4, q.batch.t4Rows],
    ] as const;
    for (const [table, columns, tuples, rows] of usage) {
      for (let i = 0; i < tuples.length; i += per) {
        const part = { tuples: tuples.slice(i, i + per), rows: rows.slice(i, i + per) };
        await splitUntilSent(conn, table, columns, part, refused, parked);
      }
    }
    return { parked, refusedTuples: parked.length - before };
  }

  /**
   * After a batch is through: its parked rows and watermarks in one SQLite transaction,
   * the t1/t3 cache, the counters. Returns the usage rows MySQL took.
   */
  private settle({ batch, hosts, vms }: QueuedBatch, parked: ParkedRow[], refused: number): number {
    try {
      const at = this.now();
      this.outbox.advance(
        {
          host_samples: batch.lastHostSampleId,
          vm_samples: batch.lastVmSampleId,
          hosts: Math.max(this.outbox.mark('hosts'), ...hosts.map((h) => h.row.seq)),
          vms: Math.max(this.outbox.mark('vms'), ...vms.map((v) => v.row.seq)),
        },
        at,
        () => this.parked.park(parked, at),
      );
    } catch (error) {
      throw new SyncError(
        'local-store',
        `cannot record the sync position: ${(error as Error).message}`,
      );
    }
    // A refused host or VM is tried again with its next samples (and parked again).
    for (const h of hosts) if (h.values) this.written.set(`h:${h.row.hostIp}`, hostPrint(h.row));
    for (const v of vms) if (v.values) this.written.set(`v:${v.row.uuid}`, vmPrint(v.row));
    if (parked.length > 0) {
      const summary = this.parked.summary();
      this.current.parkedRows = summary.rows;
      this.current.lastParked = summary.last;
    }
    const rows = batch.t2.length + batch.t4.length - refused;
    this.current.sentRows += rows;
    return rows;
  }
}

/** A t1/t3 row to write: its values fitted to the columns, or why it cannot be (parked). */
type Entity<Row, Values> =
  { row: Row; values: Values; problem: null } | { row: Row; values: null; problem: string };

interface QueuedBatch {
  batch: OutboxBatch;
  hosts: Entity<T1Row, T1Values>[];
  vms: Entity<T3Row, T3Values>[];
  /** Rows refused before sending: by the value boundary, or t1/t3 rows it could not fit. */
  parked: ParkedRow[];
  /**
   * Settles when the batch's COMMIT has been answered: with the first row error (the
   * batch must be sent in parts) or null; rejects on any other error.
   */
  done: Promise<unknown>;
}

/** Each t1/t3 row with its values fitted to the columns, or the reason it cannot be written. */
function entitiesToWrite<Row, Values>(
  rows: Row[],
  fit: (row: Row) => Values | string,
): Entity<Row, Values>[] {
  return rows.map((row) => {
    const values = fit(row);
    return typeof values === 'string'
      ? { row, values: null, problem: values }
      : { row, values, problem: null };
  });
}

function entityRow(table: 't1_host' | 't3_vm', entity: Value, reason: string): ParkedRow {
  return { table, entity: String(entity), ts: null, sampleId: null, reason };
}

/** Null when the statement went through; the reason when the server refused its row. */
async function refusal(statement: Promise<unknown>): Promise<string | null> {
  try {
    await statement;
    return null;
  } catch (error) {
    if (!isRowDataError(error)) throw error;
    return rowErrorReason(error);
  }
}

/**
 * Sends a part of a usage table's rows; when the server refuses it for its values, the
 * two halves, down to single rows, which are parked with the server's reason. A part
 * holding only rows of a host or VM whose t1/t3 row was refused is parked whole.
 */
async function splitUntilSent(
  conn: Connection,
  table: CentralTable,
  columns: string[],
  part: { tuples: string[]; rows: Value[][] },
  refusedEntities: Map<string, string>,
  parked: ParkedRow[],
): Promise<void> {
  const reason = await refusal(insertUsage(conn, table, columns, part.tuples));
  if (reason === null) return;
  const first = String(part.rows[0]?.[2]);
  const entityReason = refusedEntities.get(`${table}:${first}`);
  if (
    part.tuples.length === 1 ||
    (entityReason && part.rows.every((r) => String(r[2]) === first))
  ) {
    for (const row of part.rows) {
      parked.push({
        table,
        entity: String(row[2]),
        ts: typeof row[3] === 'number' ? row[3] : null,
        sampleId: row[0] as number,
        reason: entityReason ?? reason,
      });
    }
    return;
  }
  const half = part.tuples.length >> 1;
  for (const [from, to] of [
    [0, half],
    [half, part.tuples.length],
  ] as const) {
    const next = { tuples: part.tuples.slice(from, to), rows: part.rows.slice(from, to) };
    await splitUntilSent(conn, table, columns, next, refusedEntities, parked);
  }
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

/**
 * One row at a time as a server-side prepared statement: the values are bound, never
 * quoted into the SQL, whatever the server's sql_mode; portable without VALUES(); and
 * t1 rows are few.
 */
async function upsertHost(conn: Connection, h: T1Values): Promise<void> {
  await conn.execute(
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
async function upsertVm(conn: Connection, v: T3Values): Promise<void> {
  await conn.execute(
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
      v.lct,
      v.connectedNow,
      v.vcpus,
      v.lastSeen,
      v.hostIp,
      v.name,
      v.state,
      v.lct,
      v.lct,
      v.connectedNow,
      v.vcpus,
      v.lastSeen,
      v.lastSeen,
    ],
  );
}

function hostPrint(h: T1Row): string {
  return `${h.seq}|${h.vmc}|${h.hostName}`;
}

function vmPrint(v: T3Row): string {
  return `${v.seq}|${v.hostIp}|${Math.floor((v.lastSeen ?? 0) / MINUTE_MS)}`;
}
