import type {
  Bounds,
  Recommendation,
  RecommendationKind,
  VmAnalysis,
  VmStatistics,
} from '../shared/model/analysis-view';
import { DecayingHistogram } from './decaying-histogram';
import { percentile, Series } from './percentiles';

// The result types are the page's (shared/model); re-exported for the analysis' callers,
// as are the history types it reads (what the store gives it).
export type { Recommendation, VmAnalysis } from '../shared/model/analysis-view';
export type { VmHistory, VmUsagePoint } from '../shared/model/usage-history';
import type { VmHistory, VmUsagePoint } from '../shared/model/usage-history';
import { DAY_MS, HOUR_MS } from '../shared/time-ms';

const MiB = 1024 * 1024;

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
  windowMs: 7 * DAY_MS,
  minHistoryMs: HOUR_MS,
  halfLifeMs: DAY_MS,
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

export { percentile } from './percentiles';

/**
 * A VM's points as series, gathered in one pass (a week of minutes is 10,080 of them);
 * `each` sees every point on the way.
 */
function gather(
  points: readonly VmUsagePoint[],
  settings: AnalysisSettings,
  each: (p: VmUsagePoint) => void,
) {
  const n = points.length;
  const cpu = new Series(n);
  const disk = new Series(n);
  const net = new Series(n);
  // Most guests report no paging at all: these grow as needed.
  const swapIn = new Series(64);
  const faults = new Series(64);
  const hidden = new Series(n);
  let usedMax = 0;
  let pagingReported = 0;
  let pagingMinutes = 0;
  // Daily peaks: points come oldest first, so a day's peak is complete when the day changes.
  const peaks: { ts: number; peak: number }[] = [];
  let day = NaN;
  let peak = -Infinity;
  for (const p of points) {
    each(p);
    cpu.push(p.cpuGuestPercent);
    disk.push(p.diskBytesPerSec);
    net.push(p.netBytesPerSec);
    const used = p.memGuestUsedMaxBytes;
    if (used !== null && Number.isFinite(used)) {
      if (used > usedMax) usedMax = used;
      const today = Math.floor(p.ts / DAY_MS) * DAY_MS;
      if (today !== day) {
        if (peak > -Infinity) peaks.push({ ts: day, peak });
        day = today;
        peak = used;
      } else if (used > peak) peak = used;
    }
    if (p.memAllocatedBytes !== null && p.memGuestTotalBytes !== null)
      hidden.push(p.memAllocatedBytes - p.memGuestTotalBytes);
    if (p.swapInBytesPerSec !== null || p.majorFaultsPerSec !== null) {
      pagingReported++;
      swapIn.push(p.swapInBytesPerSec);
      faults.push(p.majorFaultsPerSec);
      if (
        (p.swapInBytesPerSec ?? 0) > settings.pagingSwapInBytesPerSec ||
        (p.majorFaultsPerSec ?? 0) > settings.pagingMajorFaultsPerSec
      )
        pagingMinutes++;
    }
  }
  if (peak > -Infinity) peaks.push({ ts: day, peak });
  // A point out of order may split a day in two: its parts are merged here.
  const merged = new Map<number, number>();
  for (const d of peaks) merged.set(d.ts, Math.max(merged.get(d.ts) ?? -Infinity, d.peak));
  const paging =
    pagingReported === 0
      ? null
      : {
          swapInBytesPerSecP95: swapIn.percentileOrNull(0.95) ?? 0,
          majorFaultsPerSecP95: faults.percentileOrNull(0.95) ?? 0,
          minutes: pagingMinutes,
        };
  return {
    cpu,
    usedMax,
    peaks: [...merged].map(([ts, value]) => ({ ts, peak: value })),
    // The median: a sample taken mid-resize must not move it.
    overhead: Math.max(0, hidden.percentileOrNull(0.5) ?? 0),
    diskP95: disk.percentileOrNull(0.95),
    netP95: net.percentileOrNull(0.95),
    paging,
  };
}

/** Days (one decimal under ten) from a day up; hours, or minutes, below. */
function formatDuration(ms: number): string {
  if (ms >= 10 * DAY_MS) return `${Math.floor(ms / DAY_MS)} days`;
  if (ms >= DAY_MS) {
    const days = Math.floor((ms / DAY_MS) * 10) / 10;
    return `${days} day${days === 1 ? '' : 's'}`;
  }
  if (ms >= HOUR_MS) return `${Math.floor(ms / HOUR_MS)} h`;
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
      minHistoryMs: settings.minHistoryMs,
      readyAtMs: (first ?? now) + settings.minHistoryMs,
      reason: `${minutes} min of history; at least ${Math.round(settings.minHistoryMs / 60_000)} min are needed`,
    };
  }
  const days = historyMs / DAY_MS;
  // VPA widens the upper bound while history is short: × (1 + 1/days), days ≥ a few hours.
  const widen = 1 + 1 / Math.max(days, settings.wideningMinDays);
  const margin = 1 + settings.safetyMargin;

  const cpu = new DecayingHistogram({
    firstBucketSize: 0.01,
    ratio: 1.05,
    maxValue: Math.max(vm.vcpus, 1) * 2,
    halfLifeMs: settings.halfLifeMs,
  });
  const usage = gather(vm.points, settings, (p) => {
    if (p.cpuGuestPercent !== null) cpu.add((p.cpuGuestPercent / 100) * vm.vcpus, p.ts);
  });
  const [cpuP50, cpuP95] = usage.cpu.percentiles([0.5, 0.95]) as [number, number];
  const vcpus: Bounds & { allocated: number } = {
    allocated: vm.vcpus,
    lower: Math.max(settings.minVcpus, cpu.percentile(settings.lowerPercentile) * margin),
    target: Math.max(settings.minVcpus, cpu.percentile(settings.targetPercentile) * margin),
    upper: Math.max(settings.minVcpus, cpu.percentile(settings.upperPercentile) * margin * widen),
  };

  const { peaks, usedMax, overhead } = usage;
  let memoryBytes: (Bounds & { allocated: number }) | null = null;
  const allocated = vm.memAllocatedBytes;
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

  const figures: VmStatistics = {
    historyMs,
    historyFromMs: first,
    cpuGuestPercent: { p50: cpuP50, p95: cpuP95, max: Math.max(0, usage.cpu.max()) },
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
    diskBytesPerSecP95: usage.diskP95,
    netBytesPerSecP95: usage.netP95,
    paging: usage.paging,
    hostStealPercentP95: vm.hostStealPercentP95,
    displayConnectedHours:
      vm.displaySpans &&
      vm.displaySpans.reduce((sum, [from, to]) => sum + Math.max(0, to - from), 0) / HOUR_MS,
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

function recommend(
  vm: VmHistory,
  now: number,
  settings: AnalysisSettings,
  figures: VmStatistics,
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

  const idleMs = settings.idleDays * DAY_MS;
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
