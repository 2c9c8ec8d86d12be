import type { ParsedHostReading } from '../host/parse-reading';
import type { Loadavg } from '../procfs/loadavg';
import { cpuUsage, type CpuUsage } from './cpu-usage';
import { diskUsage, type DiskUsage } from './disk-usage';
import { memoryUsage, type MemoryUsage } from './memory-usage';
import { netUsage, type NetUsage } from './net-usage';
import type { PhysicalInterfaceTest } from './physical-interfaces';

/** % of the interval in each state, all CPUs and each; a sample keeps some as HostCpuUsage. */
export interface HostCpuShares extends CpuUsage {
  /** Per cpuN line present in both readings; null entries where that CPU has no rate. */
  perCpu: { index: number; usage: CpuUsage | null }[];
}

/** A host's usage over the interval between two readings. */
export interface HostUsage {
  /** Wall clock of the later reading, ms since the epoch. */
  timestampMs: number;
  /** Seconds between the readings (monotonic clock of the reader). */
  intervalSec: number;
  /** Null when the cpu line has no rate this interval (no tick passed, counter reset). */
  cpu: HostCpuShares | null;
  /** From the later reading (memory is a level, not a rate). */
  memory: MemoryUsage;
  disk: DiskUsage;
  net: NetUsage;
  load: Loadavg;
  uptimeSec: number;
}

/**
 * Usage of a host from two parsed readings (eqs. 1, 3, 4 and 5–7 of the paper, as
 * corrected in cpuUsage, memoryUsage, diskUsage and netUsage). A reboot between the
 * readings makes counters go backwards; those rates come out null, never negative.
 */
export function hostUsage(
  previous: ParsedHostReading,
  current: ParsedHostReading,
  isPhysical?: PhysicalInterfaceTest,
): HostUsage {
  const intervalSec = (current.monotonicMs - previous.monotonicMs) / 1000;
  const total = cpuUsage(previous.stat.cpu, current.stat.cpu);
  const before = new Map(previous.stat.cpus.map((c) => [c.index, c.times]));
  const perCpu = current.stat.cpus
    .filter((c) => before.has(c.index))
    .map((c) => ({ index: c.index, usage: cpuUsage(before.get(c.index)!, c.times) }));
  return {
    timestampMs: current.timestampMs,
    intervalSec,
    cpu: total === null ? null : { ...total, perCpu },
    memory: memoryUsage(current.meminfo),
    disk: diskUsage(previous.diskstats, current.diskstats, intervalSec),
    net: netUsage(previous.netDev, current.netDev, intervalSec, isPhysical),
    load: current.loadavg,
    uptimeSec: current.uptime.uptimeSec,
  };
}
