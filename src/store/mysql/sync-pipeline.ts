import type { Connection } from 'mysql2/promise';
import type { T1Values, T3Values } from './central-rows';
import { t2Columns, t4Columns } from './outbox';
import type { OutboxBatch, T1Row, T3Row, Value } from './outbox';
import type { ParkedRow } from './parked-rows';
import { isRowDataError } from './sync-error';
import { insertUsage, upsertHosts, upsertVms } from './upsert-sql';

/** A t1/t3 row to write: its values fitted to the columns, or why it cannot be (parked). */
export type Entity<Row, Values> =
  { row: Row; values: Values; problem: null } | { row: Row; values: null; problem: string };

export interface QueuedBatch {
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
export function entitiesToWrite<Row, Values>(
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

/** The rows that could be fitted, to write. */
function valuesOf<Row, Values>(entities: Entity<Row, Values>[]): Values[] {
  return entities.flatMap((e) => (e.values ? [e.values] : []));
}

export function entityRow(table: 't1_host' | 't3_vm', entity: Value, reason: string): ParkedRow {
  return { table, entity: String(entity), ts: null, sampleId: null, reason };
}

/**
 * Queues one batch as two transactions, all sent at once: t1/t3 (the usage rows' foreign
 * keys point at them), then t2/t4. A statement that fails rolls back by itself (InnoDB undoes a
 * failed statement whole); the COMMIT behind it then only keeps what succeeded, which
 * is idempotent, and the batch's watermarks do not move. `per`: rows per INSERT. Null
 * when there is nothing to send.
 */
export function queueBatch(
  conn: Connection,
  { batch, hosts, vms, parked }: Omit<QueuedBatch, 'done'>,
  per: number,
): QueuedBatch | null {
  if (
    batch.t2Samples.length + batch.t4Samples.length + batch.rejected.length === 0 &&
    hosts.length === 0 &&
    vms.length === 0
  )
    return null;
  const work: Promise<unknown>[] = [];
  const [hostValues, vmValues] = [valuesOf(hosts), valuesOf(vms)];
  if (hostValues.length + vmValues.length > 0) {
    // t1/t3 first, in a transaction of their own: the fleet's newest figures are a small
    // writeset that commits (and a cluster certifies) without waiting for the usage rows
    // behind it, so a console sees them sooner. Each upsert is idempotent and latest_ts
    // only moves forward: committed alone, they are never wrong.
    work.push(conn.beginTransaction(), upsertHosts(conn, hostValues), upsertVms(conn, vmValues));
    work.push(conn.commit());
  }
  if (batch.t2.length + batch.t4.length > 0) {
    work.push(conn.beginTransaction());
    for (let i = 0; i < batch.t2.length; i += per) {
      work.push(insertUsage(conn, 't2_host_usage', t2Columns, batch.t2.slice(i, i + per)));
    }
    for (let i = 0; i < batch.t4.length; i += per) {
      work.push(insertUsage(conn, 't4_vm_usage', t4Columns, batch.t4.slice(i, i + per)));
    }
    work.push(conn.commit());
  }
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

export interface PipelineSteps {
  /** The batch after `after` (its last sample ids), or from the watermarks without one. */
  read(after?: OutboxBatch): OutboxBatch;
  /** Queues a batch on the connection without waiting (queueBatch); null when empty. */
  queue(batch: OutboxBatch): QueuedBatch | null;
  /**
   * Waits for a queued batch and moves the watermarks past it: the usage rows MySQL took,
   * and whether it went through whole (false: it was sent again in parts).
   */
  land(queued: QueuedBatch): Promise<{ rows: number; clean: boolean }>;
}

/**
 * Sends batch after batch until a short one (caught up with what was there when it was
 * read); returns the usage rows MySQL took.
 *
 * Two batches are in flight: batch n+1 is read, encoded and queued on the connection
 * (mysql2 runs commands in order) before batch n's COMMIT is awaited, so the server
 * always has the next transaction waiting while this side prepares the one after.
 * Watermarks move strictly in order, batch by batch, after each COMMIT: if batch n
 * fails, nothing of n or later is marked sent, and what n+1 may already have committed
 * is simply sent again later, which the (key, ts) upsert absorbs.
 */
export async function sendBatches({ read, queue, land }: PipelineSteps): Promise<number> {
  let sent = 0;
  let pending: QueuedBatch | null = null;
  let batch: OutboxBatch | null = read();
  try {
    while (batch || pending) {
      const queued: QueuedBatch | null = batch ? queue(batch) : null;
      if (pending) {
        const landed = await land(pending);
        sent += landed.rows;
        if (!landed.clean) {
          // Batch n+1 went out behind a failed batch n: let it finish, then read it
          // again from the watermarks n just moved.
          await queued?.done.catch(() => undefined);
          pending = null;
          batch = read();
          continue;
        }
      }
      pending = queued;
      // A short batch is the last of the round: samples that came in meanwhile wait for
      // the next one, so a round ends under a steady inflow, and what runs after it (the
      // status, the audit log, pruning) does not wait for a quiet moment.
      batch = batch?.full ? read(batch) : null;
    }
  } catch (error) {
    await pending?.done.catch(() => undefined);
    throw error;
  }
  return sent;
}
