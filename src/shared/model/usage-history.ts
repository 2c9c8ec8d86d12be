/**
 * A host's and its VMs' history as the analysis reads it: the store reads these (minute
 * figures over a window) and the analysis turns them into advice. Plain data, so the
 * store and the analysis share them without importing each other.
 */

/** One point of a VM's stored history (a minute's averages and peaks, or a raw sample). */
export interface VmUsagePoint {
  ts: number;
  /** Average guest CPU over the point, % of the VM's vCPUs. */
  cpuGuestPercent: number | null;
  /** The highest guest-used memory in the point (MemTotal − MemAvailable), bytes. */
  memGuestUsedMaxBytes: number | null;
  /** What the guest sees as its memory (MemTotal), bytes: less than the allocation. */
  memGuestTotalBytes: number | null;
  /** What the balloon gave it in the point, bytes. */
  memAllocatedBytes: number | null;
  diskBytesPerSec: number | null;
  netBytesPerSec: number | null;
  /** The guest's average swap-in, bytes/s, and major page faults/s; null when unreported. */
  swapInBytesPerSec: number | null;
  majorFaultsPerSec: number | null;
}

export interface VmHistory {
  uuid: string;
  name: string;
  host: string;
  vcpus: number;
  /** What the balloon gave it last; null when never measured (no memory advice then). */
  memAllocatedBytes: number | null;
  /** Last display connect, ms; null when none was ever seen. */
  lct: number | null;
  connectedNow: boolean;
  /** Oldest first; the window's points only. */
  points: VmUsagePoint[];
  /**
   * Spans with a display client connected, ms [from, to), within the window; null: not
   * known (the central tables keep a VM's last connect, not its sessions).
   */
  displaySpans: [number, number][] | null;
  /** p95 of its host's CPU steal % over the window; null when unknown. */
  hostStealPercentP95: number | null;
}

/** A VM of a host's inventory as last recorded, with or without history in the window. */
export interface HostVm {
  uuid: string;
  name: string;
  state: string;
  vcpus: number | null;
  /** What the balloon gave it last; null when never measured. */
  memoryBytes: number | null;
}

/** A host as the analysis reads it: its size, its VMs and its minute figures over the window. */
export interface HostHistory {
  name: string;
  cpuCount: number | null;
  memoryTotalBytes: number | null;
  /** Minute averages over the window. */
  cpuPercent: number[];
  memUsedPercent: number[];
  vms: HostVm[];
}

/** One minute of a VM: what it was given and what its disk did. */
export interface MemoryDiskPoint {
  ts: number;
  allocatedBytes: number | null;
  readBytesPerSec: number | null;
  writeBytesPerSec: number | null;
  readIops: number | null;
  guestUsedBytes: number | null;
}
