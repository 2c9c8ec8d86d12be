import type mysql from 'mysql2/promise';
import { mysqlDatetime } from '../../src/store/mysql/central-values';

export interface CentralWeekShape {
  hosts: number;
  vmsPerHost: number;
  /** One t2/t4 row per host and desktop every this many seconds. */
  stepSec: number;
  /** How far back of `toMs` the rows go, ms. */
  windowMs: number;
}

/**
 * t1/t3 as agents leave them (their newest sample at `toMs`), and t2/t4 every `stepSec` over `windowMs` up to `toMs`:
 * hosts `kvm-H` with desktops `desk-H-V`, each a guest of 4 GiB that uses about 1 GiB,
 * its CPU around 10 % (the analysis finds them oversized).
 */
export async function fillCentralWeek(
  conn: mysql.Connection,
  database: string,
  toMs: number,
  shape: CentralWeekShape,
): Promise<void> {
  const { hosts, vmsPerHost, stepSec, windowMs } = shape;
  const now = mysqlDatetime(toMs);
  const steps = Math.floor(windowMs / 1000 / stepSec);
  const start = mysqlDatetime(toMs - windowMs);
  await conn.query(`USE \`${database}\``);
  for (let h = 0; h < hosts; h++) {
    const key = `kvm-${h}`;
    const ip = `10.2.0.${h + 1}`;
    await conn.query(
      `INSERT INTO t1_host (host_key, host_ip, host_name, vmc, cpu_cores, memory_bytes, updated_at,
         latest_ts, latest_cpu, latest_memory) VALUES (?, ?, ?, ?, 32, ?, ?, ?, 40, 50)`,
      [key, ip, key, vmsPerHost, 256 * 2 ** 30, now, now],
    );
    const vms = Array.from({ length: vmsPerHost }, (_, v) => [
      `a0a0a0a0-0000-4000-8000-${(h * vmsPerHost + v).toString(16).padStart(12, '0')}`,
      key,
      ip,
      `desk-${h}-${v}`,
      'running',
      2,
      now,
      now,
      now,
    ]);
    await conn.query(
      `INSERT INTO t3_vm (uuid, host_key, host_ip, name, state, vcpus, last_seen, updated_at, latest_ts) VALUES ?`,
      [vms],
    );
    await conn.query(
      `INSERT INTO t2_host_usage (host_key, host_ip, ts, cpu, memory, cpu_steal_percent)
       SELECT ?, ?, TIMESTAMPADD(SECOND, seq * ${stepSec}, ?), 20 + RAND() * 40, 50, RAND()
       FROM seq_0_to_${steps - 1}`,
      [key, ip, start],
    );
  }
  await conn.query(
    `INSERT INTO t4_vm_usage (uuid, ts, cpu, memory, disk, network, cpu_guest_percent,
       mem_allocated_bytes, mem_guest_total_bytes, mem_guest_used_bytes,
       disk_read_bytes_per_sec, disk_write_bytes_per_sec, net_rx_bytes_per_sec, net_tx_bytes_per_sec)
     SELECT v.uuid, TIMESTAMPADD(SECOND, s.seq * ${stepSec}, ?), RAND() * 2, 25, 1e5, 1e4,
       RAND() * 20, ${4 * 2 ** 30}, ${4 * 2 ** 30}, ${2 ** 30} + FLOOR(RAND() * ${2 ** 28}),
       5e4, 5e4, 5e3, 5e3
     FROM seq_0_to_${steps - 1} s CROSS JOIN t3_vm v`,
    [start],
  );
}
