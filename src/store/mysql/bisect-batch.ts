import type { Connection } from 'mysql2/promise';
import type { CentralTable } from './central-columns';
import { t2Columns, t4Columns } from './outbox';
import type { SampleRef } from './outbox';
import type { ParkedRow } from './parked-rows';
import { isRowDataError, rowErrorReason } from './sync-error';
import { entityRow } from './sync-pipeline';
import type { QueuedBatch } from './sync-pipeline';
import { insertUsage, upsertHosts, upsertVms } from './upsert-sql';

/**
 * A batch the server refused for its rows' values, again, outside a transaction (every
 * statement is an idempotent upsert, and the watermarks move only once it is all
 * through): t1 and t3 row by row, usage rows split in halves until each failing row
 * stands alone. Rows of a host or VM whose own t1/t3 row was refused are parked with that
 * reason as soon as a part holds only them. Returns every row to park, and how many of
 * them are usage rows.
 */
export async function sendInParts(
  conn: Connection,
  q: QueuedBatch,
  rowsPerStatement: number,
): Promise<{ parked: ParkedRow[]; refusedTuples: number }> {
  const parked = [...q.parked];
  const refused = new Map<string, string>();
  for (const h of q.hosts) {
    const reason = h.values ? await refusal(upsertHosts(conn, [h.values])) : null;
    if (reason !== null) parked.push(entityRow('t1_host', h.row.hostKey, reason));
    const why = reason ?? h.problem;
    if (why !== null)
      refused.set(`t2_host_usage:${h.row.hostKey}`, `its t1_host row was refused: ${why}`);
  }
  for (const v of q.vms) {
    const reason = v.values ? await refusal(upsertVms(conn, [v.values])) : null;
    if (reason !== null) parked.push(entityRow('t3_vm', v.row.uuid, reason));
    const why = reason ?? v.problem;
    if (why !== null) refused.set(`t4_vm_usage:${v.row.uuid}`, `its t3_vm row was refused: ${why}`);
  }
  const before = parked.length;
  const per = rowsPerStatement;
  const usage = [
    ['t2_host_usage', t2Columns, q.batch.t2, q.batch.t2Samples],
    ['t4_vm_usage', t4Columns, q.batch.t4, q.batch.t4Samples],
  ] as const;
  for (const [table, columns, tuples, samples] of usage) {
    for (let i = 0; i < tuples.length; i += per) {
      const part = { tuples: tuples.slice(i, i + per), samples: samples.slice(i, i + per) };
      await splitUntilSent(conn, table, columns, part, refused, parked);
    }
  }
  return { parked, refusedTuples: parked.length - before };
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
  part: { tuples: string[]; samples: SampleRef[] },
  refusedEntities: Map<string, string>,
  parked: ParkedRow[],
): Promise<void> {
  const reason = await refusal(insertUsage(conn, table, columns, part.tuples));
  if (reason === null) return;
  const first = part.samples[0]?.entity;
  const entityReason = refusedEntities.get(`${table}:${first}`);
  if (
    part.tuples.length === 1 ||
    (entityReason && part.samples.every((sample) => sample.entity === first))
  ) {
    for (const { sampleId, entity, ts } of part.samples) {
      parked.push({ table, entity, ts, sampleId, reason: entityReason ?? reason });
    }
    return;
  }
  const half = part.tuples.length >> 1;
  for (const [from, to] of [
    [0, half],
    [half, part.tuples.length],
  ] as const) {
    const next = { tuples: part.tuples.slice(from, to), samples: part.samples.slice(from, to) };
    await splitUntilSent(conn, table, columns, next, refusedEntities, parked);
  }
}
