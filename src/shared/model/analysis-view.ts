/**
 * What the console is told of the analysis: its results as plain data (src/analysis
 * computes them, the page and the CLI read them), and the preview of applying one
 * recommendation.
 */
import type { AuditChangeKind } from './audit-entry';

export interface Bounds {
  lower: number;
  target: number;
  upper: number;
}

export type RecommendationKind =
  'fewer-vcpus' | 'more-vcpus' | 'less-memory' | 'more-memory' | 'idle-desktop' | 'never-connected';

export interface Recommendation {
  /** Stable for the same VM and kind: what `setmov apply` names. */
  id: string;
  kind: RecommendationKind;
  /** The plain-words reason, with its numbers. */
  reason: string;
  /** What to set, where it is a size: vCPUs or bytes. */
  from?: number;
  to?: number;
  /**
   * More vCPUs asked for on a host that is itself hot: its p95 figures, and the host the
   * VM would fit on (null when none has room). Set by the host analysis.
   */
  hotHost?: {
    name: string;
    cpuPercentP95: number | null;
    memUsedPercentP95: number | null;
    fitsOn: string | null;
  };
}

/** A VM's usage over the analysis window; its live figures are host-view's VmFigures. */
export interface VmStatistics {
  historyMs: number;
  /** The first minute of history in the window, ms since the epoch: where a chart starts. */
  historyFromMs: number;
  cpuGuestPercent: { p50: number; p95: number; max: number };
  /** Daily peaks of guest-used memory; null when the guest never reported it. */
  memory: {
    dailyPeakP95Bytes: number;
    maxBytes: number;
    allocatedBytes: number;
    /**
     * The allocation the guest never sees as MemTotal (its kernel, firmware, reserved
     * pages): added to every size, or a resize would leave it less than it used.
     */
    overheadBytes: number;
  } | null;
  diskBytesPerSecP95: number | null;
  netBytesPerSecP95: number | null;
  /** The guest's paging; null when it never reported swap or faults. */
  paging: {
    swapInBytesPerSecP95: number;
    majorFaultsPerSecP95: number;
    /** Minutes above the paging thresholds. */
    minutes: number;
  } | null;
  hostStealPercentP95: number | null;
  /** Hours a display client was connected in the window; null: not known. */
  displayConnectedHours: number | null;
}

export type VmAnalysis =
  | {
      uuid: string;
      name: string;
      host: string;
      status: 'not-enough-data';
      historyMs: number;
      /** The history it needs. */
      minHistoryMs: number;
      /** When it has that much, recorded on from its first minute (from now without one). */
      readyAtMs: number;
      reason: string;
    }
  | {
      uuid: string;
      name: string;
      host: string;
      status: 'analysed';
      figures: VmStatistics;
      vcpus: Bounds & { allocated: number };
      memoryBytes: (Bounds & { allocated: number }) | null;
      recommendations: Recommendation[];
    };

export type HostTemperature = 'hot' | 'cold' | 'normal' | 'unknown';

export interface HostAnalysis {
  name: string;
  cpuCount: number | null;
  memoryTotalBytes: number | null;
  /**
   * What its running VMs are given, as the overview counts it: from the inventory,
   * whether or not they have enough history to be analysed.
   */
  allocatedVcpus: number;
  allocatedMemoryBytes: number;
  runningVms: number;
  /** Allocated against physical: above 1 is overcommitted. */
  vcpuRatio: number | null;
  memoryRatio: number | null;
  cpuPercentP95: number | null;
  memUsedPercentP95: number | null;
  temperature: HostTemperature;
  /** What the fewer-vCPUs and less-memory recommendations would give back. */
  freedVcpus: number;
  freedMemoryBytes: number;
  /** What the more-vCPUs and more-memory recommendations would take: the net is freed − added. */
  addedVcpus: number;
  addedMemoryBytes: number;
  /** What idle and never-connected desktops hold, should they be reclaimed. */
  reclaimableVcpus: number;
  reclaimableMemoryBytes: number;
}

export interface Placement {
  uuid: string;
  name: string;
  from: string;
  to: string;
  reason: string;
}

/** The disk figures of every minute a VM ran with one memory size. */
export interface MemorySizePeriod {
  allocatedBytes: number;
  minutes: number;
  /** Spans with this size, ms [from, to): one size may come back after another. */
  spans: [number, number][];
  readBytesPerSecAvg: number | null;
  readBytesPerSecP95: number | null;
  writeBytesPerSecAvg: number | null;
  readIopsAvg: number | null;
  guestUsedBytesAvg: number | null;
}

export interface AnalysisResult {
  at: number;
  windowMs: number;
  /** Less history than this and a VM is not analysed. */
  minHistoryMs: number;
  vms: VmAnalysis[];
  hosts: HostAnalysis[];
  placements: Placement[];
}

/** The exact change applying a recommendation would make, read from libvirt just now. */
export interface ApplyPreview {
  id: string;
  kind: RecommendationKind;
  uuid: string;
  vmName: string;
  host: string;
  reason: string;
  change: AuditChangeKind;
  /** Bytes for memory, a count for vCPUs. */
  from: number;
  to: number;
  /**
   * The libvirt calls in order, as parts for the page to word: each sets the guest's size
   * or its maximum to `to`.
   */
  steps: { scope: 'live' | 'config'; sets: 'size' | 'maximum' }[];
  /** Parts of the asked scope that cannot be done, and why. */
  skipped: {
    scope: 'live' | 'config';
    why: 'not-running' | 'above-started-maximum' | 'transient';
    /** The maximum the running guest was started with, for above-started-maximum. */
    maximum: number | null;
  }[];
}
