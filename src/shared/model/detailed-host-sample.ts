import type { DiskDeviceUsage, HostSample, NetInterfaceUsage } from './samples';

/**
 * A HostSample (what `setmov collect --json` prints and the store keeps) with the
 * detail the usage functions compute beyond the shared model: the whole CPU split
 * and per CPU, memory used and how available was found, %util, errors and drops,
 * which interfaces count as physical, the load averages and the interval.
 */
export type DetailedDiskDevice = DiskDeviceUsage & { utilPercent: number | null };

export type DetailedNetInterface = NetInterfaceUsage & {
  /** Counted in the host totals. */
  physical: boolean;
  rxErrorsPerSec: number | null;
  txErrorsPerSec: number | null;
  rxDropsPerSec: number | null;
  txDropsPerSec: number | null;
};

/** The CPU states of /proc/stat, as % of the interval. */
export type CpuState = 'user' | 'nice' | 'system' | 'idle' | 'iowait' | 'irq' | 'softirq' | 'steal';

export interface DetailedHostSample extends Omit<HostSample, 'cpu' | 'memory' | 'disk' | 'net'> {
  intervalSec: number;
  cpu: HostSample['cpu'] & {
    nice: number | null;
    idle: number | null;
    irq: number | null;
    softirq: number | null;
    /** Per cpuN line: busy % and the split; null fields where that CPU has no rate. */
    perCpu: ({ cpu: number } & Record<CpuState | 'percent', number | null>)[];
  };
  memory: HostSample['memory'] & {
    usedBytes: number;
    availableSource: 'MemAvailable' | 'free+buffers+cached';
  };
  disk: Omit<HostSample['disk'], 'devices'> & {
    /** Mean %util of the whole disks. */
    utilPercent: number | null;
    devices: DetailedDiskDevice[];
  };
  net: Omit<HostSample['net'], 'interfaces'> & {
    rxErrorsPerSec: number | null;
    txErrorsPerSec: number | null;
    rxDropsPerSec: number | null;
    txDropsPerSec: number | null;
    interfaces: DetailedNetInterface[];
  };
  load: { load1: number; load5: number; load15: number };
}
