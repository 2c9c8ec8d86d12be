import type { AssertNever } from '../shared/contract/json';
import type { HostMetricName, VmMetricName } from '../shared/model/metric-names';
import type { HostSample, VmSample } from '../shared/model/samples';
import { StoreError } from './store-error';

/**
 * One measured number of a sample. A single list per entity drives the SQLite columns,
 * ingest, rollups, range queries, export and the MySQL detail columns, so a metric
 * added here appears everywhere at once.
 *
 * Values are stored as integers `round(value × scale)`: SQLite writes small integers in
 * 1–4 bytes where a REAL always takes 8, which is what keeps a raw VM sample under
 * 120 bytes on disk. The scale fixes the precision kept: percent and per-second counts
 * to 0.01, bytes/s to 1 B/s, memory to 1 KiB (libvirt and /proc report KiB anyway).
 */
export interface MetricDef<S, N extends string = string> {
  /** Public name (camelCase, unit in the name): used by queries, export, JSON. */
  name: N;
  /** SQLite column. */
  column: string;
  /** stored integer = round(value × scale) */
  scale: number;
  /** Unit for documentation and the MySQL column comment. */
  unit: string;
  read(sample: S): number | null | undefined;
}

const PCT = 100;
const PER_SEC = 100;
const BYTES_PER_SEC = 1;
const KIB = 1 / 1024;

const vmTable = [
  {
    name: 'cpuHostPercent',
    column: 'cpu_host',
    scale: PCT,
    unit: '% of host CPUs (virt-top)',
    read: (s) => s.cpu.hostPercent,
  },
  {
    name: 'cpuGuestPercent',
    column: 'cpu_guest',
    scale: PCT,
    unit: '% of the VM vCPUs (virt-manager)',
    read: (s) => s.cpu.guestPercent,
  },
  {
    name: 'memAllocatedBytes',
    column: 'mem_alloc',
    scale: KIB,
    unit: 'bytes (balloon.current)',
    read: (s) => s.memory.allocatedBytes,
  },
  {
    name: 'memGuestTotalBytes',
    column: 'mem_total',
    scale: KIB,
    unit: 'bytes (guest MemTotal)',
    read: (s) => s.memory.guestTotalBytes,
  },
  {
    name: 'memGuestUsedBytes',
    column: 'mem_used',
    scale: KIB,
    unit: 'bytes (guest MemTotal - MemAvailable)',
    read: (s) => s.memory.guestUsedBytes,
  },
  {
    name: 'memRssBytes',
    column: 'mem_rss',
    scale: KIB,
    unit: 'bytes (host resident)',
    read: (s) => s.memory.rssBytes,
  },
  {
    name: 'memSwapInBytesPerSec',
    column: 'mem_swap_in',
    scale: BYTES_PER_SEC,
    unit: 'bytes/s (guest swap-in)',
    read: (s) => s.memory.swapInBytesPerSec,
  },
  {
    name: 'memMajorFaultsPerSec',
    column: 'mem_major_faults',
    scale: PER_SEC,
    unit: 'faults/s (guest major page faults)',
    read: (s) => s.memory.majorFaultsPerSec,
  },
  {
    name: 'diskReadBytesPerSec',
    column: 'disk_rd',
    scale: BYTES_PER_SEC,
    unit: 'bytes/s',
    read: (s) => s.disk.readBytesPerSec,
  },
  {
    name: 'diskWriteBytesPerSec',
    column: 'disk_wr',
    scale: BYTES_PER_SEC,
    unit: 'bytes/s',
    read: (s) => s.disk.writeBytesPerSec,
  },
  {
    name: 'diskReadIops',
    column: 'disk_rd_iops',
    scale: PER_SEC,
    unit: 'requests/s',
    read: (s) => s.disk.readIops,
  },
  {
    name: 'diskWriteIops',
    column: 'disk_wr_iops',
    scale: PER_SEC,
    unit: 'requests/s',
    read: (s) => s.disk.writeIops,
  },
  {
    name: 'netRxBytesPerSec',
    column: 'net_rx',
    scale: BYTES_PER_SEC,
    unit: 'bytes/s',
    read: (s) => s.net.rxBytesPerSec,
  },
  {
    name: 'netTxBytesPerSec',
    column: 'net_tx',
    scale: BYTES_PER_SEC,
    unit: 'bytes/s',
    read: (s) => s.net.txBytesPerSec,
  },
  {
    name: 'netRxPacketsPerSec',
    column: 'net_rx_pps',
    scale: PER_SEC,
    unit: 'packets/s',
    read: (s) => s.net.rxPacketsPerSec,
  },
  {
    name: 'netTxPacketsPerSec',
    column: 'net_tx_pps',
    scale: PER_SEC,
    unit: 'packets/s',
    read: (s) => s.net.txPacketsPerSec,
  },
] satisfies MetricDef<VmSample, VmMetricName>[];

const hostTable = [
  {
    name: 'cpuPercent',
    column: 'cpu',
    scale: PCT,
    unit: '% busy, all CPUs',
    read: (s) => s.cpu.percent,
  },
  {
    name: 'cpuUserPercent',
    column: 'cpu_user',
    scale: PCT,
    unit: '% of CPU time',
    read: (s) => s.cpu.user,
  },
  {
    name: 'cpuSystemPercent',
    column: 'cpu_system',
    scale: PCT,
    unit: '% of CPU time',
    read: (s) => s.cpu.system,
  },
  {
    name: 'cpuIowaitPercent',
    column: 'cpu_iowait',
    scale: PCT,
    unit: '% of CPU time',
    read: (s) => s.cpu.iowait,
  },
  {
    name: 'cpuStealPercent',
    column: 'cpu_steal',
    scale: PCT,
    unit: '% of CPU time',
    read: (s) => s.cpu.steal,
  },
  {
    name: 'memTotalBytes',
    column: 'mem_total',
    scale: KIB,
    unit: 'bytes (MemTotal)',
    read: (s) => s.memory.totalBytes,
  },
  {
    name: 'memAvailableBytes',
    column: 'mem_avail',
    scale: KIB,
    unit: 'bytes (MemAvailable)',
    read: (s) => s.memory.availableBytes,
  },
  {
    name: 'memFreeBytes',
    column: 'mem_free',
    scale: KIB,
    unit: 'bytes (MemFree)',
    read: (s) => s.memory.freeBytes,
  },
  {
    name: 'memBuffersBytes',
    column: 'mem_buffers',
    scale: KIB,
    unit: 'bytes (Buffers)',
    read: (s) => s.memory.buffersBytes,
  },
  {
    name: 'memCachedBytes',
    column: 'mem_cached',
    scale: KIB,
    unit: 'bytes (Cached)',
    read: (s) => s.memory.cachedBytes,
  },
  {
    name: 'memUsedPercent',
    column: 'mem_used_pct',
    scale: PCT,
    unit: '% (MemTotal - MemAvailable) / MemTotal',
    read: (s) => s.memory.usedPercent,
  },
  {
    name: 'diskReadBytesPerSec',
    column: 'disk_rd',
    scale: BYTES_PER_SEC,
    unit: 'bytes/s',
    read: (s) => s.disk.readBytesPerSec,
  },
  {
    name: 'diskWriteBytesPerSec',
    column: 'disk_wr',
    scale: BYTES_PER_SEC,
    unit: 'bytes/s',
    read: (s) => s.disk.writeBytesPerSec,
  },
  {
    name: 'diskReadIops',
    column: 'disk_rd_iops',
    scale: PER_SEC,
    unit: 'requests/s',
    read: (s) => s.disk.readIops,
  },
  {
    name: 'diskWriteIops',
    column: 'disk_wr_iops',
    scale: PER_SEC,
    unit: 'requests/s',
    read: (s) => s.disk.writeIops,
  },
  {
    name: 'netRxBytesPerSec',
    column: 'net_rx',
    scale: BYTES_PER_SEC,
    unit: 'bytes/s',
    read: (s) => s.net.rxBytesPerSec,
  },
  {
    name: 'netTxBytesPerSec',
    column: 'net_tx',
    scale: BYTES_PER_SEC,
    unit: 'bytes/s',
    read: (s) => s.net.txBytesPerSec,
  },
  {
    name: 'netRxPacketsPerSec',
    column: 'net_rx_pps',
    scale: PER_SEC,
    unit: 'packets/s',
    read: (s) => s.net.rxPacketsPerSec,
  },
  {
    name: 'netTxPacketsPerSec',
    column: 'net_tx_pps',
    scale: PER_SEC,
    unit: 'packets/s',
    read: (s) => s.net.txPacketsPerSec,
  },
  {
    name: 'netWireBitsPerSec',
    column: 'net_wire_bps',
    scale: 1,
    unit: 'bits/s on the wire',
    read: (s) => s.net.wireBitsPerSec,
  },
  { name: 'vmCount', column: 'vm_count', scale: 1, unit: 'running VMs', read: (s) => s.vmCount },
] satisfies MetricDef<HostSample, HostMetricName>[];

// Each table defines a column for every name of its union (shared/model/metric-names):
// these compile only when none is missing.
export type EveryVmMetricDefined = AssertNever<
  Exclude<VmMetricName, (typeof vmTable)[number]['name']>
>;
export type EveryHostMetricDefined = AssertNever<
  Exclude<HostMetricName, (typeof hostTable)[number]['name']>
>;

export const vmMetrics: readonly MetricDef<VmSample, VmMetricName>[] = vmTable;
export const hostMetrics: readonly MetricDef<HostSample, HostMetricName>[] = hostTable;

/** A value as stored: null for missing, NaN or infinite input (bad input never reaches disk). */
export function encodeMetric(value: number | null | undefined, scale: number): number | null {
  if (value === null || value === undefined || !Number.isFinite(value)) return null;
  return Math.round(value * scale);
}

export function decodeMetric(stored: number | null, scale: number): number | null {
  return stored === null ? null : stored / scale;
}

export type EntityKind = 'host' | 'vm';

export function metricsOf(kind: EntityKind): readonly MetricDef<never>[] {
  return kind === 'vm' ? vmMetrics : hostMetrics;
}

/** The definitions for the given names; throws a typed error naming an unknown one. */
export function pickMetrics(kind: EntityKind, names: readonly string[]): MetricDef<never>[] {
  const all = metricsOf(kind);
  return names.map((name) => {
    const def = all.find((m) => m.name === name);
    if (!def) {
      throw new StoreError(
        'unknown-metric',
        `unknown ${kind} metric '${name}' (known: ${all.map((m) => m.name).join(', ')})`,
      );
    }
    return def;
  });
}
