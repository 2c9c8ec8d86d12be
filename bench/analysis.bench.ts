// Analysis of 1,000 VMs × 7 days of 1-minute rollups (10.08 M minutes):
//  - the recommender alone over histories in memory (the target: ≤ 2 s), against the
//    straightforward way of making the same percentiles: sort each series again for
//    every figure;
//  - reading the histories from a real SQLite file's vm_rollup_1m and analysing them,
//    what `setmov analyze` and the console do (reported, no target: it is I/O-bound).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeVm, defaultAnalysisSettings } from '../src/analysis/vm-analysis';
import type { VmHistory, VmUsagePoint } from '../src/analysis/vm-analysis';
import { analyzeStore } from '../src/backend/analysis/analyze-store';
import { Store } from '../src/store/store';
import { DAY_MS, MINUTE_MS } from '../src/shared/time-ms';
import { makeRandom, makeVmSample, vmUuid } from '../test/store/sample-factory';
import { medianTimeMs } from './lib/stats';
import type { BenchResult, Benchmark } from './lib/types';

const VMS = 1000;
/** The SQLite part reads fewer VMs: building 10 M rollup rows alone takes minutes. */
const READ_VMS = 100;
const MINUTES = (7 * DAY_MS) / MINUTE_MS;
const MiB = 1024 * 1024;

/** Distinct weeks of minutes: VMs share them in turn, so 10 M points need not be in memory. */
const PATTERNS = 50;

/**
 * A week of a desktop's minutes for each VM: office-hours CPU and memory, each its own
 * size. Each VM is analysed on its own, so sharing a point array changes the work not at
 * all, only the memory the bench needs.
 */
function histories(end: number): VmHistory[] {
  const rand = makeRandom(11);
  const patterns: VmUsagePoint[][] = [];
  return Array.from({ length: VMS }, (_, v) => {
    if (patterns[v % PATTERNS])
      return { ...vmOf(v, end), points: patterns[v % PATTERNS] as VmUsagePoint[] };
    const busy = 5 + rand() * 60;
    const base = (300 + rand() * 2000) * MiB;
    const points: VmUsagePoint[] = new Array(MINUTES);
    for (let m = 0; m < MINUTES; m++) {
      const office = m % 1440 >= 480 && m % 1440 < 1080 ? 1 : 0.1;
      points[m] = {
        ts: end - (MINUTES - m) * MINUTE_MS,
        cpuGuestPercent: busy * office * (0.5 + rand()),
        memGuestUsedMaxBytes: base * (0.7 + 0.3 * office) + rand() * 64 * MiB,
        memGuestTotalBytes: 4096 * MiB - 180 * MiB,
        memAllocatedBytes: 4096 * MiB,
        diskBytesPerSec: rand() * 2e6,
        netBytesPerSec: rand() * 2e5,
        swapInBytesPerSec: 0,
        majorFaultsPerSec: rand() * 5,
      };
    }
    patterns[v % PATTERNS] = points;
    return { ...vmOf(v, end), points };
  });
}

function vmOf(v: number, end: number): Omit<VmHistory, 'points'> {
  return {
    uuid: vmUuid(v),
    name: `desktop-${v}`,
    host: `kvm-${v % 20}`,
    vcpus: 2 + (v % 3) * 2,
    memAllocatedBytes: 4096 * MiB,
    lct: end - (v % 30) * DAY_MS,
    connectedNow: v % 7 === 0,
    displaySpans: [],
    hostStealPercentP95: 0,
  };
}

/** The same figures the plain way: every percentile a fresh sort of the whole series. */
function naiveFigures(vm: VmHistory): number[] {
  const pct = (values: number[], p: number) => {
    const sorted = [...values].sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] as number;
  };
  const cpu = vm.points.map((p) => p.cpuGuestPercent ?? 0);
  const peaks = new Map<number, number>();
  for (const p of vm.points) {
    const day = Math.floor(p.ts / DAY_MS);
    peaks.set(day, Math.max(peaks.get(day) ?? 0, p.memGuestUsedMaxBytes ?? 0));
  }
  const daily = [...peaks.values()];
  const disk = vm.points.map((p) => p.diskBytesPerSec ?? 0);
  const net = vm.points.map((p) => p.netBytesPerSec ?? 0);
  const faults = vm.points.map((p) => p.majorFaultsPerSec ?? 0);
  return [
    pct(cpu, 0.5),
    pct(cpu, 0.9),
    pct(cpu, 0.95),
    pct(cpu, 1),
    pct(daily, 0.5),
    pct(daily, 0.9),
    pct(daily, 0.95),
    pct(disk, 0.95),
    pct(net, 0.95),
    pct(faults, 0.95),
  ];
}

/**
 * A history file whose vm_rollup_1m holds the week for every VM, written in SQL (a
 * recursive series) instead of through ingest: 10 M raw samples would take minutes to
 * roll up. One raw sample per VM gives each its inventory row.
 */
function rollupFile(path: string, end: number): Store {
  const VMS = READ_VMS;
  const store = Store.open({ path, now: () => end });
  const rand = makeRandom(5);
  store.ingest(
    Array.from({ length: VMS }, (_, v) => ({
      type: 'vm-sample' as const,
      sample: makeVmSample(v, end - 30_000, rand, `kvm-${v % 20}`),
    })),
  );
  const from = end - MINUTES * MINUTE_MS;
  store.db.exec(`
    WITH RECURSIVE m(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM m WHERE i < ${MINUTES - 1})
    INSERT INTO vm_rollup_1m (vm_id, bucket, n, cpu_guest_min, cpu_guest_avg, cpu_guest_max,
      mem_used_min, mem_used_avg, mem_used_max, mem_total_min, mem_total_avg, mem_total_max,
      mem_alloc_min, mem_alloc_avg, mem_alloc_max, disk_rd_avg, disk_wr_avg, net_rx_avg, net_tx_avg,
      mem_swap_in_avg, mem_major_faults_avg)
    SELECT v.id, ${from} + m.i * 60000, 30,
      1000, 1000 + (abs(random()) % 4000), 6000,
      200000, 300000 + (abs(random()) % 100000), 500000, 3960000, 3960000, 3960000,
      4194304, 4194304, 4194304, abs(random()) % 2000000, abs(random()) % 2000000,
      abs(random()) % 100000, abs(random()) % 100000, 0, abs(random()) % 500
    FROM vms v CROSS JOIN m ORDER BY v.id, m.i`);
  store.db
    .prepare('INSERT OR REPLACE INTO rollup_state (name, done_until) VALUES (?, ?)')
    .run('vm_1m', end - MINUTE_MS);
  return store;
}

const bench: Benchmark = {
  name: 'analysis',
  async run(): Promise<BenchResult[]> {
    const end = Math.floor(Date.now() / MINUTE_MS) * MINUTE_MS;
    const vms = histories(end);
    const ours = medianTimeMs(() => vms.map((vm) => analyzeVm(vm, end)), 3);
    const naive = medianTimeMs(() => vms.map(naiveFigures), 3);
    const results: BenchResult[] = [
      {
        benchmark: 'analysis',
        metric: `recommender, ${VMS} VMs × 7 days of minutes (in memory)`,
        unit: 'ms',
        ours,
        baseline: naive,
        baselineName: 'the same percentiles by sorting each series per figure',
        better: 'lower',
        target: 2000,
        note: `${((VMS * MINUTES) / 1e6).toFixed(2)} M minutes; median of 3 runs`,
      },
    ];

    const dir = mkdtempSync(join(tmpdir(), 'setmov-bench-analysis-'));
    try {
      const t0 = performance.now();
      const store = rollupFile(join(dir, 'week.db'), end);
      const built = performance.now() - t0;
      try {
        const settings = { ...defaultAnalysisSettings };
        let analysed = 0;
        const read = medianTimeMs(() => {
          analysed = analyzeStore(store, end, settings).vms.filter(
            (v) => v.status === 'analysed',
          ).length;
        }, 1);
        if (analysed !== READ_VMS)
          throw new Error(`read+analysis saw ${analysed} of ${READ_VMS} VMs`);
        results.push({
          benchmark: 'analysis',
          metric: `read from SQLite + analysis, per VM × 7 days of 1-minute rollups`,
          unit: 'ms',
          ours: read / READ_VMS,
          baseline: ours / VMS,
          baselineName: 'the analysis alone, per VM (row above)',
          better: 'lower',
          note: `${READ_VMS} VMs read and analysed in ${(read / 1000).toFixed(1)} s (file built in ${(built / 1000).toFixed(1)} s); one run`,
        });
      } finally {
        store.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    return results;
  },
};

export default bench;
