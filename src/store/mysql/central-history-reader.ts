import type { Connection } from 'mysql2/promise';
import type { HistoryResult } from '../../shared/contract/requests';
import type { HostMetricName, MetricName, VmMetricName } from '../../shared/model/metric-names';
import { hostMetrics, vmMetrics } from '../metrics';
import { ClusterSession } from './cluster-session';
import type { centralTables } from './central-columns';
import { mysqlDatetime } from './central-values';
import type { MysqlLogin } from './mysql-session';

/** The t2 column of each host metric: the store's names, t2's units. */
const HOST_COLUMNS: Record<HostMetricName, keyof (typeof centralTables)['t2_host_usage']> = {
  cpuPercent: 'cpu',
  cpuUserPercent: 'cpu_user_percent',
  cpuSystemPercent: 'cpu_system_percent',
  cpuIowaitPercent: 'cpu_iowait_percent',
  cpuStealPercent: 'cpu_steal_percent',
  memTotalBytes: 'mem_total_bytes',
  memAvailableBytes: 'mem_available_bytes',
  memFreeBytes: 'mem_free_bytes',
  memBuffersBytes: 'mem_buffers_bytes',
  memCachedBytes: 'mem_cached_bytes',
  memUsedPercent: 'memory',
  diskReadBytesPerSec: 'disk_read_bytes_per_sec',
  diskWriteBytesPerSec: 'disk_write_bytes_per_sec',
  diskReadIops: 'disk_read_iops',
  diskWriteIops: 'disk_write_iops',
  netRxBytesPerSec: 'net_rx_bytes_per_sec',
  netTxBytesPerSec: 'net_tx_bytes_per_sec',
  netRxPacketsPerSec: 'net_rx_packets_per_sec',
  netTxPacketsPerSec: 'net_tx_packets_per_sec',
  netWireBitsPerSec: 'net_wire_bits_per_sec',
  vmCount: 'vm_count',
};

/** The t4 column of each VM metric. */
const VM_COLUMNS: Record<VmMetricName, keyof (typeof centralTables)['t4_vm_usage']> = {
  cpuHostPercent: 'cpu',
  cpuGuestPercent: 'cpu_guest_percent',
  memAllocatedBytes: 'mem_allocated_bytes',
  memGuestTotalBytes: 'mem_guest_total_bytes',
  memGuestUsedBytes: 'mem_guest_used_bytes',
  memRssBytes: 'mem_rss_bytes',
  memSwapInBytesPerSec: 'mem_swap_in_bytes_per_sec',
  memMajorFaultsPerSec: 'mem_major_faults_per_sec',
  diskReadBytesPerSec: 'disk_read_bytes_per_sec',
  diskWriteBytesPerSec: 'disk_write_bytes_per_sec',
  diskReadIops: 'disk_read_iops',
  diskWriteIops: 'disk_write_iops',
  netRxBytesPerSec: 'net_rx_bytes_per_sec',
  netTxBytesPerSec: 'net_tx_bytes_per_sec',
  netRxPacketsPerSec: 'net_rx_packets_per_sec',
  netTxPacketsPerSec: 'net_tx_packets_per_sec',
};

export interface CentralHistoryQuery {
  entity: { kind: 'host'; key: string } | { kind: 'vm'; uuid: string };
  metrics: readonly MetricName[];
  /** ms since the epoch, inclusive. */
  from: number;
  /** ms since the epoch, exclusive. */
  to: number;
  maxPoints: number;
  /** The bucket's width, ms, instead of one made from maxPoints (the analysis' minutes). */
  bucketMs?: number;
}

/** A metric a history request may name that the entity's table has no column for. */
export class UnknownCentralMetric extends Error {}

/** Rows read at once by an export. */
const EXPORT_PAGE_ROWS = 5_000;

/** Buckets of whole seconds: t2/t4 keep milliseconds, but no graph needs finer. */
function bucketMsFor(q: CentralHistoryQuery): number {
  if (q.bucketMs !== undefined) return Math.max(1000, Math.ceil(q.bucketMs / 1000) * 1000);
  return Math.max(1000, Math.ceil((q.to - q.from) / q.maxPoints / 1000) * 1000);
}

/**
 * A host's or VM's history from the central tables (t2/t4), as the console's graphs and
 * exports ask for it: per bucket min/avg/max of each metric, at most maxPoints buckets.
 * One range read on the table's key (host_key or uuid, then ts): never a scan.
 */
export class CentralHistoryReader {
  private readonly session: ClusterSession;

  constructor(login: MysqlLogin) {
    this.session = new ClusterSession(login);
  }

  query(q: CentralHistoryQuery): Promise<HistoryResult> {
    const host = q.entity.kind === 'host';
    const columns = q.metrics.map((metric) => {
      const column = host
        ? HOST_COLUMNS[metric as HostMetricName]
        : VM_COLUMNS[metric as VmMetricName];
      if (column === undefined) {
        throw new UnknownCentralMetric(`${metric} is not a metric of a ${q.entity.kind}`);
      }
      return column;
    });
    const bucketMs = bucketMsFor(q);
    const aggregates = columns
      .map((c, i) => `MIN(\`${c}\`) AS mn${i}, AVG(\`${c}\`) AS av${i}, MAX(\`${c}\`) AS mx${i}`)
      .join(', ');
    // Buckets counted from `from`, in microseconds: no time zone enters the arithmetic.
    const sql =
      `SELECT TIMESTAMPDIFF(MICROSECOND, ?, ts) DIV ? AS b, COUNT(*) AS n, ${aggregates} ` +
      `FROM ${host ? 't2_host_usage' : 't4_vm_usage'} ` +
      `WHERE ${host ? 'host_key' : 'uuid'} = ? AND ts >= ? AND ts < ? GROUP BY b ORDER BY b`;
    const fromText = mysqlDatetime(q.from);
    const params = [
      fromText,
      bucketMs * 1000,
      q.entity.kind === 'host' ? q.entity.key : q.entity.uuid,
      fromText,
      mysqlDatetime(q.to),
    ];
    return this.session.read(async (conn: Connection) => {
      const [rows] = await conn.query(sql, params);
      return {
        // What t2/t4 hold is what the sync sent (raw or its buckets), averaged here further.
        resolution: 'raw',
        bucketMs,
        points: (rows as Record<string, unknown>[]).map((row) => ({
          ts: q.from + Number(row.b) * bucketMs,
          n: Number(row.n),
          values: Object.fromEntries(
            q.metrics.map((metric, i) => {
              const avg = row[`av${i}`];
              return [
                metric,
                avg === null
                  ? null
                  : { min: Number(row[`mn${i}`]), avg: Number(avg), max: Number(row[`mx${i}`]) },
              ];
            }),
          ),
        })),
      };
    });
  }

  /**
   * Every row of a host or VM in [from, to), oldest first, as `each(ts, values)` with the
   * values in the order of the store's metrics of that kind (hostMetrics, vmMetrics):
   * the central copy of what an export of this console's history writes. Read in pages
   * along the table's key, so a long range never holds one big result.
   */
  async eachRow(
    entity: CentralHistoryQuery['entity'],
    from: number,
    to: number,
    each: (ts: number, values: (number | null)[]) => void,
  ): Promise<void> {
    const host = entity.kind === 'host';
    const columns = host
      ? hostMetrics.map((m) => HOST_COLUMNS[m.name])
      : vmMetrics.map((m) => VM_COLUMNS[m.name]);
    // The time as ms since the epoch, counted on the server: no time zone enters it.
    const sql =
      `SELECT TIMESTAMPDIFF(MICROSECOND, '1970-01-01', ts) DIV 1000 AS ms, ` +
      `${columns.map((c) => `\`${c}\``).join(', ')} FROM ${host ? 't2_host_usage' : 't4_vm_usage'} ` +
      `WHERE ${host ? 'host_key' : 'uuid'} = ? AND ts >= ? AND ts < ? ORDER BY ts LIMIT ${EXPORT_PAGE_ROWS}`;
    const key = entity.kind === 'host' ? entity.key : entity.uuid;
    let fromMs = from;
    for (;;) {
      const rows = await this.session.read(async (conn: Connection) => {
        const [page] = await conn.query({ sql, rowsAsArray: true }, [
          key,
          mysqlDatetime(fromMs),
          mysqlDatetime(to),
        ]);
        return page as unknown[][];
      });
      for (const row of rows) {
        each(
          Number(row[0]),
          row.slice(1).map((value) => (value === null ? null : Number(value))),
        );
      }
      if (rows.length < EXPORT_PAGE_ROWS) return;
      // A key is (host_key or uuid, ts): the next page starts after the last time read.
      fromMs = Number(rows[rows.length - 1]?.[0]) + 1;
    }
  }

  close(): void {
    this.session.close();
  }
}
