import type { Connection } from 'mysql2/promise';
import type { Database } from 'better-sqlite3';
import { openDatabase } from '../sqlite/open-database';
import { targetKey } from './mysql-target';
import type { MysqlTarget } from './mysql-target';
import { initMysqlSchema, mysqlSchemaVersion } from './mysql-schema';
import { createMysqlDatabase } from './create-database';
import { t1Values, t3Values } from './central-rows';
import { Outbox } from './outbox';
import type { OutboxBatch, T1Row, T3Row } from './outbox';
import { ParkedRows } from './parked-rows';
import type { ParkedRow } from './parked-rows';
import { sendAudit } from './audit-sync';
import { syncRounds } from './sync-rounds';
import { openServerSession } from './mysql-session';
import { ClusterSession, NoNodeLeft } from './cluster-session';
import { entitiesToWrite, entityRow, queueBatch, sendBatches } from './sync-pipeline';
import type { QueuedBatch } from './sync-pipeline';
import { sendInParts } from './bisect-batch';
import { MINUTE_MS, SECOND_MS } from '../../shared/time-ms';
import { pruneCentral } from './central-retention';
import { SyncError, classifyMysqlError, isNodeGone } from './sync-error';
import { setTimeout as sleep } from 'node:timers/promises';
import type { SyncStatus } from '../../shared/model/sync-status';

/** Whole resends of a round the cluster refused (certification, deadlock), beyond one per node. */
const MAX_CONFLICT_RETRIES = 10;
/** The least pause before such a resend; up to twice it, at random. */
const CONFLICT_PAUSE_MS = 50;

/** How often the central usage rows past their retention are pruned. */
const PRUNE_EVERY_MS = 10 * MINUTE_MS;

/** Sample rows per table read into one batch, which is one MySQL transaction. */
const DEFAULT_BATCH_ROWS = 5000;

export interface MysqlSyncOptions {
  /** The SQLite file the collector writes; the sync opens its own connection (WAL). */
  dbPath: string;
  target: MysqlTarget;
  password: string;
  /**
   * Sample rows per table per batch (default 5000); each batch is one MySQL transaction,
   * and a round sends batches until it has caught up.
   */
  batchRows?: number;
  /**
   * Rows per INSERT statement (default batchRows: one statement per table per batch).
   * 5,000 t4 rows are ≈ 1 MB of SQL, far below max_allowed_packet (16 MB on MariaDB
   * 10.11 and MySQL 8 by default).
   */
  rowsPerStatement?: number;
  /**
   * The central usage tables' resolution, seconds: 0 (the default) sends every raw
   * sample; 10 or 60 send per-bucket averages, while t1/t3 carry each host's and VM's
   * newest figures every round. The local history keeps every raw sample either way.
   */
  centralResolutionSec?: number;
  /**
   * Usage rows older than this many days are deleted from the central tables, for the
   * hosts and VMs this history holds, every PRUNE_EVERY_MS (central-retention.ts).
   * Default: kept for good.
   */
  centralRetentionDays?: number;
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
  private readonly session: ClusterSession;
  /** When the central usage rows were last pruned, ms since the epoch. */
  private lastPruneAt = Number.NEGATIVE_INFINITY;
  /**
   * What this connection already wrote to t1/t3 (key → fingerprint), so a round rewrites
   * only hosts and VMs that changed or have a newer sample (their latest figures).
   */
  private readonly written = new Map<string, string>();
  /** The status but what the session knows (the node in use, the failovers). */
  private readonly current: Omit<SyncStatus, 'node' | 'failovers'>;
  private readonly now: () => number;

  constructor(private readonly options: MysqlSyncOptions) {
    this.now = options.now ?? Date.now;
    this.session = new ClusterSession(options);
    this.db = openDatabase(options.dbPath);
    const target = targetKey(options.target);
    this.outbox = new Outbox(this.db, target, (options.centralResolutionSec ?? 0) * SECOND_MS);
    this.parked = new ParkedRows(this.db, target);
    const parked = this.parked.summary();
    this.current = {
      target,
      state: 'idle',
      lastSuccessAt: null,
      lagSamples: 0,
      lastError: null,
      sentRows: 0,
      parkedRows: parked.rows,
      lastParked: parked.last,
      conflictRetries: 0,
      prunedRows: 0,
      oldestPendingAt: null,
    };
    this.refreshPending();
  }

  /**
   * The status now. What waits is read again from the history each time (the first
   * sample above the watermarks, by id: cheap), so between rounds it shows the samples
   * that came in since the last one, not the "nothing waits" of the moment it ended.
   */
  status(): SyncStatus {
    if (this.db.open) this.current.oldestPendingAt = this.outbox.oldestPendingAt();
    return {
      ...this.current,
      node: this.session.connectedTo,
      failovers: this.session.failovers,
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
    const server = await openServerSession(this.options);
    try {
      await createMysqlDatabase(server, this.options.target.database, this.where());
    } finally {
      server.destroy();
    }
    return this.connection(false);
  }

  /**
   * Sends everything waiting, batch after batch, until caught up (sendBatches: two
   * batches in flight). Throws a SyncError.
   *
   * A batch that fails on its rows' values (isRowDataError) is sent again in parts until
   * the failing rows are found (sendInParts); they are parked with the server's reason
   * and the watermarks move past them, so one bad row never holds back the rest.
   */
  async syncOnce(): Promise<number> {
    return this.guard(() => this.retryingWhole(() => this.sendWaiting()));
  }

  /**
   * Runs a round again, at once, when the node in use went away mid-way (on the next
   * node of the target) or the cluster refused a batch's writeset (certification, a
   * deadlock): the watermarks moved only for batches MySQL committed, so the round
   * resends exactly what is not in yet. A few tries, then the error is the round's.
   */
  private async retryingWhole<T>(round: () => Promise<T>): Promise<T> {
    const tries = this.session.nodeCount + MAX_CONFLICT_RETRIES;
    // Tries in a row that moved nothing: a round that committed batches before it was
    // refused made progress, and two writers on the same rows collide again and again.
    let fruitless = 0;
    for (;;) {
      const sentBefore = this.current.sentRows;
      try {
        return await round();
      } catch (error) {
        const typed = classifyMysqlError(error, this.where());
        const conflict = typed.code === 'write-conflict';
        const retry = conflict || (isNodeGone(typed) && !(typed instanceof NoNodeLeft));
        fruitless = this.current.sentRows > sentBefore ? 1 : fruitless + 1;
        if (fruitless >= tries || !retry) throw typed;
        // What this connection wrote to t1/t3 is committed: a conflict keeps that knowledge,
        // or every resend would rewrite them all and collide on them again.
        await this.dropConnection(!conflict);
        if (conflict) {
          this.current.conflictRetries++;
          // Two writers that collided would collide again in step: part them.
          await sleep(CONFLICT_PAUSE_MS * (1 + Math.random()) * fruitless);
        } else {
          this.session.nextNode();
        }
      }
    }
  }

  private async sendWaiting(): Promise<number> {
    const conn = await this.connection(true);
    // A target that answered with its schema holds unsent samples against pruning.
    try {
      this.outbox.register(this.now());
    } catch (error) {
      throw new SyncError('local-store', `cannot record the target: ${(error as Error).message}`);
    }
    const limit = this.options.batchRows ?? DEFAULT_BATCH_ROWS;
    const sent = await sendBatches({
      read: (after) => this.outbox.readBatch(limit, after, this.now()),
      queue: (batch) => this.queue(conn, batch),
      land: (queued) => this.land(conn, queued),
    });
    // The audit log is small and written by hand: sent after the samples, each entry
    // once (its watermark moves after each run of entries the server took).
    const audited = await sendAudit(conn, this.db, this.outbox.mark('audit'));
    if (audited !== this.outbox.mark('audit')) this.outbox.advance({ audit: audited }, this.now());
    await this.pruneWhenDue(conn);
    this.current.lastSuccessAt = this.now();
    this.current.lastError = null;
    return sent;
  }

  private async pruneWhenDue(conn: Connection): Promise<void> {
    const retentionDays = this.options.centralRetentionDays;
    const now = this.now();
    if (retentionDays === undefined || now - this.lastPruneAt < PRUNE_EVERY_MS) return;
    this.current.prunedRows += await pruneCentral(conn, {
      ...this.outbox.ownKeys(),
      retentionDays,
      nowMs: now,
    });
    this.lastPruneAt = now;
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
      if (this.db.open) this.refreshPending();
    }
  }

  /** What waits to be sent, for the status: after each landed batch and each round. */
  private refreshPending(): void {
    this.current.lagSamples = this.outbox.lag();
    this.current.oldestPendingAt = this.outbox.oldestPendingAt();
  }

  private where(): string {
    return this.session.where();
  }

  private connection(checkSchema: boolean): Promise<Connection> {
    return this.session.connection(checkSchema);
  }

  private async dropConnection(forgetWritten = true): Promise<void> {
    if (forgetWritten) this.written.clear();
    this.session.drop();
  }

  /**
   * Queues a batch's transaction (queueBatch) with the t1/t3 rows it needs: hosts and VMs
   * this connection has not written as they are now. Null when there is nothing to send.
   */
  private queue(conn: Connection, batch: OutboxBatch): QueuedBatch | null {
    const parked = [...batch.rejected];
    const hosts = entitiesToWrite(
      this.outbox
        .hostsToSend(batch.hostIds)
        .filter((row) => this.written.get(`h:${row.hostKey}`) !== hostPrint(row)),
      t1Values,
    );
    const vms = entitiesToWrite(
      this.outbox
        .vmsToSend(batch.vmIds)
        .filter((row) => this.written.get(`v:${row.uuid}`) !== vmPrint(row)),
      t3Values,
    );
    for (const h of hosts)
      if (h.problem) parked.push(entityRow('t1_host', h.row.hostKey, h.problem));
    for (const v of vms) if (v.problem) parked.push(entityRow('t3_vm', v.row.uuid, v.problem));
    return queueBatch(conn, { batch, hosts, vms, parked }, this.rowsPerStatement());
  }

  private rowsPerStatement(): number {
    return this.options.rowsPerStatement ?? this.options.batchRows ?? DEFAULT_BATCH_ROWS;
  }

  /** Waits for a queued batch; on a row error sends it again in parts. Then settles it. */
  private async land(conn: Connection, q: QueuedBatch): Promise<{ rows: number; clean: boolean }> {
    const rowError = await q.done;
    if (rowError === null) return { rows: this.settle(q, q.parked, 0), clean: true };
    const careful = await sendInParts(conn, q, this.rowsPerStatement());
    return { rows: this.settle(q, careful.parked, careful.refusedTuples), clean: false };
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
          host_buckets: batch.hostBucketsUntil,
          vm_buckets: batch.vmBucketsUntil,
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
    for (const h of hosts) if (h.values) this.written.set(`h:${h.row.hostKey}`, hostPrint(h.row));
    for (const v of vms) if (v.values) this.written.set(`v:${v.row.uuid}`, vmPrint(v.row));
    if (parked.length > 0) {
      const summary = this.parked.summary();
      this.current.parkedRows = summary.rows;
      this.current.lastParked = summary.last;
    }
    const rows = batch.t2.length + batch.t4.length - refused;
    this.current.sentRows += rows;
    // A catch-up round lasts minutes: its progress shows batch by batch.
    this.refreshPending();
    return rows;
  }
}

/** The fields whose change has a host's t1 row written again. */
function hostPrint(h: T1Row): string {
  return `${h.seq}|${h.vmc}|${h.hostName}|${h.latestId}`;
}

/** The same for a VM's t3 row: with each new sample (its latest figures). */
function vmPrint(v: T3Row): string {
  return `${v.seq}|${v.hostKey}|${v.latestId}`;
}
