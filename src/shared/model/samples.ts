/**
 * The samples the collector emits and the store keeps: one per host or VM per poll.
 * Their JSON form is what `setmov collect --json` prints, one object per line.
 * Rates are per second over the interval since the previous reading; a rate that
 * could not be computed (first reading, counter went backwards) is null.
 */

export interface HostCpuUsage {
  /** Busy % of all CPUs: 100 × (Δtotal − Δ(idle+iowait)) / Δtotal (paper eq. 1, corrected). */
  percent: number | null;
  /** Per-state % of Δtotal. */
  user: number | null;
  system: number | null;
  iowait: number | null;
  steal: number | null;
}

export interface HostMemoryUsage {
  totalBytes: number;
  availableBytes: number | null;
  freeBytes: number | null;
  buffersBytes: number | null;
  cachedBytes: number | null;
  /** 100 × (MemTotal − MemAvailable) / MemTotal, as procps ≥ 4 computes "used". */
  usedPercent: number | null;
}

export interface DiskDeviceUsage {
  device: string;
  readBytesPerSec: number | null;
  writeBytesPerSec: number | null;
  readIops: number | null;
  writeIops: number | null;
  /** % of the interval the device had I/O in flight. */
  utilPercent: number | null;
}

export interface NetInterfaceUsage {
  interface: string;
  rxBytesPerSec: number | null;
  txBytesPerSec: number | null;
  rxPacketsPerSec: number | null;
  txPacketsPerSec: number | null;
  /** On-wire bits/s: (Δbytes + 24 × Δpackets) × 8 / t (paper eqs. 5–7, corrected). */
  wireBitsPerSec: number | null;
}

export interface HostSample {
  kind: 'host';
  /** ms since the epoch */
  ts: number;
  host: string;
  ip: string | null;
  cpu: HostCpuUsage;
  memory: HostMemoryUsage;
  disk: {
    readBytesPerSec: number | null;
    writeBytesPerSec: number | null;
    readIops: number | null;
    writeIops: number | null;
    devices: DiskDeviceUsage[];
  };
  net: {
    rxBytesPerSec: number | null;
    txBytesPerSec: number | null;
    rxPacketsPerSec: number | null;
    txPacketsPerSec: number | null;
    wireBitsPerSec: number | null;
    interfaces: NetInterfaceUsage[];
  };
  /** Running VMs on the host, when libvirt is reachable. */
  vmCount?: number | null;
}

export interface VmDiskUsage {
  device: string;
  readBytesPerSec: number | null;
  writeBytesPerSec: number | null;
  readIops: number | null;
  writeIops: number | null;
}

export interface VmNicUsage {
  interface: string;
  rxBytesPerSec: number | null;
  txBytesPerSec: number | null;
  rxPacketsPerSec: number | null;
  txPacketsPerSec: number | null;
}

export interface VmSample {
  kind: 'vm';
  /** ms since the epoch */
  ts: number;
  /** Host name of the host the VM runs on. */
  host: string;
  uuid: string;
  name: string;
  state: string;
  vcpus: number;
  cpu: {
    /** 100 × Δcpu.time / (t × 1e9 × host cores): virt-top's figure (paper eq. 2). */
    hostPercent: number | null;
    /** The same over the VM's vCPUs, clamped to 0–100: virt-manager's figure. */
    guestPercent: number | null;
  };
  memory: {
    /** balloon.current */
    allocatedBytes: number | null;
    /** balloon.available: the guest's MemTotal; null when the guest reports nothing. */
    guestTotalBytes: number | null;
    /** available − usable (guest's MemTotal − MemAvailable); null when the guest reports nothing. */
    guestUsedBytes: number | null;
    /** balloon.rss: host memory resident for the VM. */
    rssBytes: number | null;
    /**
     * What the guest read back from its swap, bytes/s (rate of balloon.swap_in): a guest
     * short of memory. Null (or absent) when the guest does not report it.
     */
    swapInBytesPerSec?: number | null;
    /** The guest's major page faults/s (rate of balloon.major_fault): pages it had to read. */
    majorFaultsPerSec?: number | null;
  };
  disk: {
    readBytesPerSec: number | null;
    writeBytesPerSec: number | null;
    readIops: number | null;
    writeIops: number | null;
    devices?: VmDiskUsage[];
  };
  net: {
    rxBytesPerSec: number | null;
    txBytesPerSec: number | null;
    rxPacketsPerSec: number | null;
    txPacketsPerSec: number | null;
    interfaces?: VmNicUsage[];
  };
  /** Last connect time to the VM's display, ms since the epoch; null if never seen. */
  lct: number | null;
  connectedNow: boolean;
  /** When the collector last saw the VM, ms since the epoch. */
  lastSeen: number;
}
