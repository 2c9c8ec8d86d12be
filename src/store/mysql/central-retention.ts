import type { Connection } from 'mysql2/promise';
import { DAY_MS } from '../../shared/time-ms';
import { mysqlDatetime } from './central-values';
import { sqlString } from './central-values';

/**
 * Rows per DELETE: each is its own small transaction, so a cluster replicates a few
 * hundred kilobytes at a time instead of a day's worth of rows in one writeset (which
 * would stall every node while it certifies and applies).
 */
export const PRUNE_ROWS_PER_STATEMENT = 5000;
/** Keys per DELETE: a run of primary-key ranges, one per host or VM. */
const KEYS_PER_STATEMENT = 200;

export interface CentralPruneScope {
  /** t2 rows of these hosts (host_key as written), t4 rows of these VMs (uuid). */
  hostKeys: readonly string[];
  uuids: readonly string[];
  /** Rows older than this many days go. */
  retentionDays: number;
  nowMs: number;
}

/**
 * Deletes the usage rows past the central retention of the hosts and VMs this sync
 * writes (each agent prunes its own, so writers rarely meet), in small statements by
 * primary-key range (key, ts): no scan, no lock on other agents' rows. Returns the rows
 * deleted. Partitions by day would drop a day at no cost, but InnoDB refuses foreign
 * keys on partitioned tables, and t2/t4's keys into t1/t3 are the paper's schema.
 */
export async function pruneCentral(conn: Connection, scope: CentralPruneScope): Promise<number> {
  const before = sqlString(mysqlDatetime(scope.nowMs - scope.retentionDays * DAY_MS));
  let deleted = 0;
  const tables = [
    ['t2_host_usage', 'host_key', scope.hostKeys],
    ['t4_vm_usage', 'uuid', scope.uuids],
  ] as const;
  for (const [table, key, values] of tables) {
    for (let i = 0; i < values.length; i += KEYS_PER_STATEMENT) {
      const keys = values
        .slice(i, i + KEYS_PER_STATEMENT)
        .map(sqlString)
        .join(',');
      for (;;) {
        const [result] = await conn.query(
          `DELETE FROM ${table} WHERE ${key} IN (${keys}) AND ts < ${before} LIMIT ${PRUNE_ROWS_PER_STATEMENT}`,
        );
        const affected = (result as { affectedRows: number }).affectedRows;
        deleted += affected;
        if (affected < PRUNE_ROWS_PER_STATEMENT) break;
      }
    }
  }
  return deleted;
}
