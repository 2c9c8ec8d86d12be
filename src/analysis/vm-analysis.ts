import { DecayingHistogram } from './decaying-histogram';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const MiB = 1024 * 1024;

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
  /** Spans with a display client connected, ms [from, to), within the window. */
  displaySpans: [number, number][];
  /** p95 of its host's CPU steal % over the window; null when unknown. */
  hostStealPercentP95: number | null;
}

/**
 * The recommender's settings, each documented in docs/analysis.md. Defaults follow
 * Kubernetes' VPA where it has one (90th percentile target, 15 % margin, 24 h half-life,
 * upper bound widened by 1 + 1/days) and the paper's desktops where it has not.
 */
export interface AnalysisSettings {
  windowMs: number;
  /** Less history than this and the answer is "not enough data". */
  minHistoryMs: number;
  halfLifeMs: number;
  targetPercentile: number;
  lowerPercentile: number;
  upperPercentile: number;
  /** Added on top of every percentile: 0.15 is 15 %. */
  safetyMargin: number;
  /** Memory never recommended below the observed maximum plus this. */
  memoryHeadroomBytes: number;
  minVcpus: number;
  minMemoryBytes: number;
  /** Memory sizes are rounded up to this. */
  memoryStepBytes: number;
  /** Used memory at this share of the allocation (p95 of daily peaks) is "starved". */
  memoryPressureShare: number;
  /** A minute with more swap-in than this (bytes/s) or more major faults (/s) pages. */
  pagingSwapInBytesPerSec: number;
  pagingMajorFaultsPerSec: number;
  /** Minutes of paging in the window that, with used memory near the allocation, mean "starved". */
  pagingMinutes: number;
  /** Host steal above this (p95, %) with a busy guest asks for more vCPUs. */
  stealPercent: number;
  /** The upper bound's widening 1 + 1/days counts at least this many days. */
  wideningMinDays: number;
  idleDays: number;
  idleCpuPercent: number;
}

export const defaultAnalysisSettings: AnalysisSettings = {
  windowMs: 7 * DAY,
  minHistoryMs: HOUR,
  halfLifeMs: DAY,
  targetPercentile: 0.9,
  lowerPercentile: 0.5,
  upperPercentile: 0.95,
  safetyMargin: 0.15,
  memoryHeadroomBytes: 256 * MiB,
  minVcpus: 1,
  minMemoryBytes: 512 * MiB,
  memoryStepBytes: 128 * MiB,
  memoryPressureShare: 0.9,
  pagingSwapInBytesPerSec: 64 * 1024,
  pagingMajorFaultsPerSec: 20,
  pagingMinutes: 10,
  stealPercent: 10,
  wideningMinDays: 0.25,
  idleDays: 14,
  idleCpuPercent: 5,
};

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
}

export interface VmFigures {
  historyMs: number;
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
  displayConnectedHours: number;
}

export type VmAnalysis =
  | {
      uuid: string;
      name: string;
      host: string;
      status: 'not-enough-data';
      historyMs: number;
      reason: string;
    }
  | {
      uuid: string;
      name: string;
      host: string;
      status: 'analysed';
      figures: VmFigures;
      vcpus: Bounds & { allocated: number };
      memoryBytes: (Bounds & { allocated: number }) | null;
      recommendations: Recommendation[];
    };

/** The values sorted ascending, as a typed array (its numeric sort is native). */
export function sortedOf(values: readonly number[]): Float64Array {
  return Float64Array.from(values).sort();
}

/** The p-th value (0–1) of already sorted values, by linear interpolation between ranks. */
export function atPercentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.min(1, Math.max(0, p)) * (sorted.length - 1);
  const low = Math.floor(rank);
  const a = sorted[low] as number;
  const b = sorted[Math.ceil(rank)] as number;
  return a + (b - a) * (rank - low);
}

/** The p-th value (0–1) of values, by linear interpolation between ranks. */
export function percentile(values: readonly number[], p: number): number {
  return atPercentile(sortedOf(values), p);
}

const known = (values: (number | null)[]): number[] =>
  values.filter((v): v is number => v !== null && Number.isFinite(v));

/** The highest value of each calendar day (UTC), with the day's start. */
function dailyPeaks(points: readonly VmUsagePoint[]): { ts: number; peak: number }[] {
  const peaks = new Map<number, number>();
  for (const p of points) {
    if (p.memGuestUsedMaxBytes === null) continue;
    const day = Math.floor(p.ts / DAY) * DAY;
    peaks.set(day, Math.max(peaks.get(day) ?? 0, p.memGuestUsedMaxBytes));
  }
  return [...peaks].map(([ts, peak]) => ({ ts, peak }));
}

/** Days (one decimal under ten) from a day up; hours, or minutes, below. */
function formatDuration(ms: number): string {
  if (ms >= 10 * DAY) return `${Math.floor(ms / DAY)} days`;
  if (ms >= DAY) {
    const days = Math.floor((ms / DAY) * 10) / 10;
    return `${days} day${days === 1 ? '' : 's'}`;
  }
  if (ms >= HOUR) return `${Math.floor(ms / HOUR)} h`;
  return `${Math.floor(ms / 60_000)} min`;
}

const roundUp = (value: number, step: number): number => Math.ceil(value / step) * step;

/** GiB with one decimal (none from 10 GiB); whole MiB under a GiB. */
function formatSize(bytes: number): string {
  if (bytes < 1024 ** 3) return `${Math.round(bytes / MiB)} MiB`;
  return `${(bytes / 1024 ** 3).toFixed(bytes >= 10 * 1024 ** 3 ? 0 : 1)} GiB`;
}

/**
 * One VM's figures over the window and what to change, with the reasons. Pure: the
 * history and the time now in, the analysis out.
 */
export function analyzeVm(
  vm: VmHistory,
  now: number,
  settings: AnalysisSettings = defaultAnalysisSettings,
): VmAnalysis {
  const base = { uuid: vm.uuid, name: vm.name, host: vm.host };
  const first = vm.points[0]?.ts;
  const historyMs =
    first === undefined ? 0 : Math.min(now, (vm.points.at(-1) as VmUsagePoint).ts) - first;
  if (first === undefined || historyMs < settings.minHistoryMs) {
    const minutes = Math.round(historyMs / 60_000);
    return {
      ...base,
      status: 'not-enough-data',
      historyMs,
      reason: `${minutes} min of history; at least ${Math.round(settings.minHistoryMs / 60_000)} min are needed`,
    };
  }
  const days = historyMs / DAY;
  // VPA widens the upper bound while history is short: × (1 + 1/days), days ≥ a few hours.
  const widen = 1 + 1 / Math.max(days, settings.wideningMinDays);
  const margin = 1 + settings.safetyMargin;

  const cpu = new DecayingHistogram({
    firstBucketSize: 0.01,
    ratio: 1.05,
    maxValue: Math.max(vm.vcpus, 1) * 2,
    halfLifeMs: settings.halfLifeMs,
  });
  const cpuSorted = sortedOf(known(vm.points.map((p) => p.cpuGuestPercent)));
  for (const p of vm.points) {
    if (p.cpuGuestPercent !== null) cpu.add((p.cpuGuestPercent / 100) * vm.vcpus, p.ts);
  }
  const vcpus: Bounds & { allocated: number } = {
    allocated: vm.vcpus,
    lower: Math.max(settings.minVcpus, cpu.percentile(settings.lowerPercentile) * margin),
    target: Math.max(settings.minVcpus, cpu.percentile(settings.targetPercentile) * margin),
    upper: Math.max(settings.minVcpus, cpu.percentile(settings.upperPercentile) * margin * widen),
  };

  const peaks = dailyPeaks(vm.points);
  const usedMax = known(vm.points.map((p) => p.memGuestUsedMaxBytes)).reduce(
    (a, b) => Math.max(a, b),
    0,
  );
  let memoryBytes: (Bounds & { allocated: number }) | null = null;
  const allocated = vm.memAllocatedBytes;
  // Point by point (a resize changes both), and the median: a sample taken mid-resize
  // must not move it.
  const hidden: number[] = [];
  for (const p of vm.points)
    if (p.memAllocatedBytes !== null && p.memGuestTotalBytes !== null)
      hidden.push(p.memAllocatedBytes - p.memGuestTotalBytes);
  const overhead = hidden.length === 0 ? 0 : Math.max(0, percentile(hidden, 0.5));
  if (peaks.length > 0 && allocated !== null && allocated > 0) {
    const memory = new DecayingHistogram({
      firstBucketSize: 16 * MiB,
      ratio: 1.05,
      maxValue: Math.max(allocated, usedMax) * 2,
      halfLifeMs: settings.halfLifeMs,
    });
    for (const { ts, peak } of peaks) memory.add(peak, ts);
    // Bounds are allocations: the used-memory percentile with its margin, plus the overhead.
    const floor = Math.max(
      settings.minMemoryBytes,
      usedMax + settings.memoryHeadroomBytes + overhead,
    );
    const at = (p: number, factor: number) => memory.percentile(p) * factor + overhead;
    memoryBytes = {
      allocated,
      lower: Math.max(settings.minMemoryBytes, at(settings.lowerPercentile, margin)),
      target: Math.max(floor, at(settings.targetPercentile, margin)),
      upper: Math.max(floor, at(settings.upperPercentile, margin * widen)),
    };
  }

  const figures: VmFigures = {
    historyMs,
    cpuGuestPercent: {
      p50: atPercentile(cpuSorted, 0.5),
      p95: atPercentile(cpuSorted, 0.95),
      max: Math.max(0, cpuSorted.at(-1) ?? 0),
    },
    memory:
      memoryBytes !== null
        ? {
            dailyPeakP95Bytes: percentile(
              peaks.map((d) => d.peak),
              0.95,
            ),
            maxBytes: usedMax,
            allocatedBytes: memoryBytes.allocated,
            overheadBytes: overhead,
          }
        : null,
    diskBytesPerSecP95: nullablePercentile(vm.points.map((p) => p.diskBytesPerSec)),
    netBytesPerSecP95: nullablePercentile(vm.points.map((p) => p.netBytesPerSec)),
    paging: pagingFigures(vm.points, settings),
    hostStealPercentP95: vm.hostStealPercentP95,
    displayConnectedHours:
      vm.displaySpans.reduce((sum, [from, to]) => sum + Math.max(0, to - from), 0) / HOUR,
  };

  return {
    ...base,
    status: 'analysed',
    figures,
    vcpus,
    memoryBytes,
    recommendations: recommend(vm, now, settings, figures, vcpus, memoryBytes),
  };
}

function pagingFigures(points: readonly VmUsagePoint[], settings: AnalysisSettings) {
  const reported = points.filter(
    (p) => p.swapInBytesPerSec !== null || p.majorFaultsPerSec !== null,
  );
  if (reported.length === 0) return null;
  const minutes = reported.filter(
    (p) =>
      (p.swapInBytesPerSec ?? 0) > settings.pagingSwapInBytesPerSec ||
      (p.majorFaultsPerSec ?? 0) > settings.pagingMajorFaultsPerSec,
  ).length;
  return {
    swapInBytesPerSecP95: percentile(known(reported.map((p) => p.swapInBytesPerSec)), 0.95),
    majorFaultsPerSecP95: percentile(known(reported.map((p) => p.majorFaultsPerSec)), 0.95),
    minutes,
  };
}

function nullablePercentile(values: (number | null)[]): number | null {
  const present = known(values);
  return present.length === 0 ? null : percentile(present, 0.95);
}

function recommend(
  vm: VmHistory,
  now: number,
  settings: AnalysisSettings,
  figures: VmFigures,
  vcpus: Bounds & { allocated: number },
  memory: (Bounds & { allocated: number }) | null,
): Recommendation[] {
  const out: Recommendation[] = [];
  const id = (kind: RecommendationKind) => `${vm.uuid}:${kind}`;
  const cpu = figures.cpuGuestPercent;
  const span = formatDuration(figures.historyMs);

  const fewer = Math.max(settings.minVcpus, Math.ceil(vcpus.upper));
  if (fewer < vm.vcpus) {
    out.push({
      id: id('fewer-vcpus'),
      kind: 'fewer-vcpus',
      from: vm.vcpus,
      to: fewer,
      reason: `Over ${span} the guest used p95 ${cpu.p95.toFixed(0)} % of its ${vm.vcpus} vCPUs (max ${cpu.max.toFixed(0)} %); the upper bound with a ${Math.round(settings.safetyMargin * 100)} % margin is ${vcpus.upper.toFixed(2)} vCPUs.`,
    });
  }
  const more = Math.ceil(vcpus.target);
  const steal = figures.hostStealPercentP95;
  // Steal means the host cannot run what it is given; a busy guest there waits for CPU.
  const stolen = steal !== null && steal >= settings.stealPercent && cpu.p95 >= 80;
  if (more > vm.vcpus) {
    out.push({
      id: id('more-vcpus'),
      kind: 'more-vcpus',
      from: vm.vcpus,
      to: more,
      reason: `The guest's CPU is busy: p90 with a ${Math.round(settings.safetyMargin * 100)} % margin is ${vcpus.target.toFixed(2)} vCPUs against ${vm.vcpus} given (p95 ${cpu.p95.toFixed(0)} %).`,
    });
  } else if (stolen) {
    out.push({
      id: id('more-vcpus'),
      kind: 'more-vcpus',
      from: vm.vcpus,
      to: vm.vcpus + 1,
      reason: `The guest is busy (p95 ${cpu.p95.toFixed(0)} % of ${vm.vcpus} vCPUs) while its host loses ${steal.toFixed(0)} % of its CPU time to steal (p95): one more vCPU, or a quieter host.`,
    });
  }

  if (memory && figures.memory) {
    const allocated = memory.allocated;
    const less = roundUp(memory.upper, settings.memoryStepBytes);
    if (less < allocated && less <= allocated - settings.memoryStepBytes) {
      out.push({
        id: id('less-memory'),
        kind: 'less-memory',
        from: allocated,
        to: less,
        reason: `The guest's daily peak of used memory is ${formatSize(figures.memory.dailyPeakP95Bytes)} (p95; highest ${formatSize(figures.memory.maxBytes)}) of ${formatSize(allocated)} given; ${formatSize(less)} keeps the upper bound and ${formatSize(settings.memoryHeadroomBytes)} above the highest seen${figures.memory.overheadBytes > 0 ? `, plus the ${formatSize(figures.memory.overheadBytes)} the guest does not see` : ''}.`,
      });
    }
    const overheadBytes = figures.memory.overheadBytes;
    const pressure = figures.memory.dailyPeakP95Bytes / Math.max(1, allocated - overheadBytes);
    // Near its size a guest pages rather than grow "used": the paging says it is short.
    // A guest that reports no paging figures is judged on its used memory alone.
    const paging = figures.paging;
    const pages = paging === null || paging.minutes >= settings.pagingMinutes;
    if (pressure >= settings.memoryPressureShare && pages) {
      const to = roundUp(
        Math.max(
          memory.target,
          figures.memory.maxBytes / settings.memoryPressureShare + overheadBytes,
        ),
        settings.memoryStepBytes,
      );
      if (to > allocated) {
        out.push({
          id: id('more-memory'),
          kind: 'more-memory',
          from: allocated,
          to,
          reason: `The guest's daily peaks reach ${Math.round(pressure * 100)} % of the memory it sees (p95 ${formatSize(figures.memory.dailyPeakP95Bytes)} of ${formatSize(allocated)} given) ${
            paging === null
              ? '(it reports no swap or fault figures)'
              : `and it paged in ${paging.minutes} min (swap-in p95 ${(paging.swapInBytesPerSecP95 / 1024).toFixed(0)} KiB/s, major faults p95 ${paging.majorFaultsPerSecP95.toFixed(0)}/s)`
          }: it runs short of memory.`,
        });
      }
    }
  }

  const idleMs = settings.idleDays * DAY;
  const quiet = cpu.p95 < settings.idleCpuPercent;
  if (vm.lct === null && !vm.connectedNow) {
    out.push({
      id: id('never-connected'),
      kind: 'never-connected',
      reason: `No display client was ever seen on it in ${span} of history${quiet ? `, and its CPU p95 is ${cpu.p95.toFixed(1)} %` : ''}: a desktop nobody uses, or one reached another way.`,
    });
  }
  // Without a connect ever seen, "none for N days" is known only as far back as history goes.
  const unusedMs = vm.lct === null ? figures.historyMs : now - vm.lct;
  if (!vm.connectedNow && unusedMs >= idleMs && quiet) {
    out.push({
      id: id('idle-desktop'),
      kind: 'idle-desktop',
      reason: `No display connection for ${formatDuration(unusedMs)}${vm.lct === null ? ' (all its history)' : ''} and guest CPU p95 ${cpu.p95.toFixed(1)} % (under ${settings.idleCpuPercent} %): a candidate to shut down or reclaim.`,
    });
  }
  return out;
}
