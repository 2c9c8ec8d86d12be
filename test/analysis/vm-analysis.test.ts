import { describe, expect, it } from 'vitest';
import { analyzeVm, defaultAnalysisSettings, percentile } from '../../src/analysis/vm-analysis';
import type { VmHistory, VmUsagePoint } from '../../src/analysis/vm-analysis';

const MIN = 60_000;
const DAY = 86_400_000;
const GiB = 1024 ** 3;
const now = Date.UTC(2026, 11, 2, 12, 0, 0);

/** A VM's minutes over `days`, with CPU and used memory from the functions given. */
function history(
  days: number,
  cpu: (minute: number) => number,
  usedBytes: (minute: number) => number | null,
  rest: Partial<VmHistory> = {},
): VmHistory {
  const minutes = Math.round((days * DAY) / MIN);
  const points: VmUsagePoint[] = Array.from({ length: minutes }, (_, m) => ({
    ts: now - (minutes - m) * MIN,
    cpuGuestPercent: cpu(m),
    memGuestUsedMaxBytes: usedBytes(m),
    memGuestTotalBytes: null,
    memAllocatedBytes: rest.memAllocatedBytes === undefined ? 8 * GiB : rest.memAllocatedBytes,
    diskBytesPerSec: 1000,
    netBytesPerSec: 2000,
    swapInBytesPerSec: null,
    majorFaultsPerSec: null,
  }));
  return {
    uuid: '5e7a0b0d-0000-4000-8000-000000000001',
    name: 'desk-1',
    host: 'kvm-a',
    vcpus: 4,
    memAllocatedBytes: 8 * GiB,
    lct: now - DAY,
    connectedNow: false,
    points,
    displaySpans: [[now - DAY - 2 * 3_600_000, now - DAY]],
    hostStealPercentP95: null,
    ...rest,
  };
}

describe('percentile', () => {
  it('interpolates between ranks', () => {
    expect(percentile([1, 2, 3, 4, 5], 0.5)).toBe(3);
    expect(percentile([10, 0], 0.25)).toBe(2.5);
    expect(percentile([], 0.9)).toBe(0);
  });
});

describe('analyzeVm', () => {
  it('says "not enough data" under an hour, and how much there is', () => {
    const got = analyzeVm(
      history(
        30 / 1440,
        () => 50,
        () => GiB,
      ),
      now,
    );
    expect(got.status).toBe('not-enough-data');
    if (got.status !== 'not-enough-data') return;
    expect(got.reason).toMatch(/^29 min of history; at least 60 min/);
    // Recorded on, it has its hour 60 min after its first minute.
    expect(got.minHistoryMs).toBe(60 * MIN);
    expect(got.readyAtMs).toBe(now - 30 * MIN + 60 * MIN);
  });

  it('recommends fewer vCPUs and less memory for an oversized desktop, with its numbers', () => {
    // 4 vCPUs, 8 GiB; uses about 10 % of the CPUs and at most 2 GiB.
    const got = analyzeVm(
      history(
        7,
        (m) => (m % 60 < 5 ? 20 : 8),
        (m) => GiB + (m % 1440) * 700_000,
      ),
      now,
    );
    expect(got.status).toBe('analysed');
    if (got.status !== 'analysed') return;
    expect(got.figures.cpuGuestPercent.p50).toBe(8);
    expect(got.figures.cpuGuestPercent.max).toBe(20);
    expect(got.figures.displayConnectedHours).toBe(2);
    const kinds = got.recommendations.map((r) => r.kind);
    expect(kinds).toEqual(['fewer-vcpus', 'less-memory']);
    // p95 is 20 % of 4 vCPUs = 0.8; × 1.15 margin × (1 + 1/7) for a week = 1.05: 2 vCPUs.
    const fewer = got.recommendations[0];
    expect(got.vcpus.upper).toBeGreaterThan(1);
    expect(got.vcpus.upper).toBeLessThan(1.2);
    expect(fewer?.to).toBe(2);
    expect(fewer?.reason).toMatch(/p95 20 % of its 4 vCPUs/);
    const less = got.recommendations[1];
    // Never below the highest seen (about 1.94 GiB) plus the 256 MiB headroom.
    const highest = got.figures.memory?.maxBytes ?? 0;
    expect(less?.to).toBeGreaterThanOrEqual(highest + defaultAnalysisSettings.memoryHeadroomBytes);
    expect(less?.to).toBeLessThan(4 * GiB);
    expect(less?.reason).toMatch(/daily peak of used memory is 1\.9 GiB/);
    expect(less?.id).toBe('5e7a0b0d-0000-4000-8000-000000000001:less-memory');
  });

  it('recommends more vCPUs and more memory for a starved desktop', () => {
    const got = analyzeVm(
      history(
        3,
        () => 97,
        () => 7.8 * GiB,
        { vcpus: 2 },
      ),
      now,
    );
    if (got.status !== 'analysed') throw new Error(got.reason);
    const kinds = got.recommendations.map((r) => r.kind);
    expect(kinds).toContain('more-vcpus');
    expect(kinds).toContain('more-memory');
    expect(got.recommendations.find((r) => r.kind === 'more-vcpus')?.to).toBe(3);
    expect(got.recommendations.find((r) => r.kind === 'more-memory')?.to).toBeGreaterThan(8 * GiB);
    expect(kinds).not.toContain('less-memory');
  });

  it('widens the upper bound while history is short', () => {
    const usage = (m: number) => (m % 10 === 0 ? 30 : 10);
    const short = analyzeVm(
      history(0.5, usage, () => GiB),
      now,
    );
    const long = analyzeVm(
      history(7, usage, () => GiB),
      now,
    );
    if (short.status !== 'analysed' || long.status !== 'analysed') throw new Error('no analysis');
    expect(short.vcpus.upper).toBeGreaterThan(long.vcpus.upper * 1.5);
    expect(short.vcpus.target).toBeCloseTo(long.vcpus.target, 1);
  });

  it('never takes allocation for use: a guest that reports no memory gets no memory advice', () => {
    const got = analyzeVm(
      history(
        2,
        () => 10,
        () => null,
      ),
      now,
    );
    if (got.status !== 'analysed') throw new Error('no analysis');
    expect(got.memoryBytes).toBeNull();
    expect(got.figures.memory).toBeNull();
    expect(got.recommendations.map((r) => r.kind)).not.toContain('less-memory');
  });

  it('finds idle and never-connected desktops', () => {
    const idle = analyzeVm(
      history(
        20,
        () => 1,
        () => GiB,
        { lct: now - 15 * DAY },
      ),
      now,
    );
    if (idle.status !== 'analysed') throw new Error('no analysis');
    expect(idle.recommendations.map((r) => r.kind)).toContain('idle-desktop');
    expect(idle.recommendations.find((r) => r.kind === 'idle-desktop')?.reason).toMatch(
      /No display connection for 15 days/,
    );
    const busy = analyzeVm(
      history(
        20,
        () => 40,
        () => GiB,
        { lct: now - 15 * DAY },
      ),
      now,
    );
    if (busy.status !== 'analysed') throw new Error('no analysis');
    expect(busy.recommendations.map((r) => r.kind)).not.toContain('idle-desktop');
    const never = analyzeVm(
      history(
        2,
        () => 1,
        () => GiB,
        { lct: null, displaySpans: [] },
      ),
      now,
    );
    if (never.status !== 'analysed') throw new Error('no analysis');
    expect(never.recommendations.map((r) => r.kind)).toContain('never-connected');
  });
});

describe('analyzeVm: edge cases', () => {
  const MiB = 1024 * 1024;

  it('measures history from first to last point across a gap, and leaves the gap out', () => {
    const full = history(
      3,
      (m) => (m % 2 === 0 ? 10 : 30),
      () => GiB,
    );
    // Two days missing in the middle (the host was down): 3 days of span, 1 of points.
    const minutesPerDay = 1440;
    const gapped = {
      ...full,
      points: full.points.filter(
        (_, m) => m < minutesPerDay / 2 || m >= full.points.length - minutesPerDay / 2,
      ),
    };
    const got = analyzeVm(gapped, now);
    if (got.status !== 'analysed') throw new Error(got.reason);
    expect(got.figures.historyMs).toBeGreaterThan(2.9 * DAY);
    expect(got.figures.historyFromMs).toBe(full.points[0]?.ts);
    expect(got.figures.cpuGuestPercent.p50).toBe(20);
    expect(got.figures.cpuGuestPercent.max).toBe(30);
  });

  it("keeps a restarted guest's peak: the low memory after a reboot does not hide it", () => {
    // Used memory climbs to 6 GiB, the VM restarts (a minute with nothing), starts low.
    const got = analyzeVm(
      history(
        2,
        () => 10,
        (m) => (m === 1000 ? null : m < 1000 ? (m / 1000) * 6 * GiB : 0.5 * GiB),
        { vcpus: 2 },
      ),
      now,
    );
    if (got.status !== 'analysed') throw new Error(got.reason);
    expect(got.figures.memory?.maxBytes).toBeCloseTo(6 * GiB * 0.999, -6);
    const less = got.recommendations.find((r) => r.kind === 'less-memory');
    // 8 GiB given; never under 6 GiB + 256 MiB headroom.
    if (less) expect(less.to).toBeGreaterThanOrEqual(6 * GiB + 256 * MiB - 8 * MiB);
  });

  it('reads a counter reset as a missing rate, not as a burst of paging', () => {
    // The collector turns a reset (cur < prev) into null; only real paging counts.
    const got = analyzeVm(
      history(
        2,
        () => 10,
        () => 7.6 * GiB,
        {},
      ),
      now,
    );
    const withReset = history(
      2,
      () => 10,
      () => 7.6 * GiB,
    );
    withReset.points.forEach((p, m) => {
      p.swapInBytesPerSec = m === 700 ? null : 0;
      p.majorFaultsPerSec = m === 700 ? null : 0;
    });
    const reset = analyzeVm(withReset, now);
    if (got.status !== 'analysed' || reset.status !== 'analysed') throw new Error('no analysis');
    expect(reset.figures.paging).toEqual({
      swapInBytesPerSecP95: 0,
      majorFaultsPerSecP95: 0,
      minutes: 0,
    });
    // Used memory near the size but no paging at all: not starved.
    expect(reset.recommendations.map((r) => r.kind)).not.toContain('more-memory');
    // Reported nothing about paging: judged on used memory alone, and says so.
    const more = got.recommendations.find((r) => r.kind === 'more-memory');
    expect(more?.reason).toMatch(/reports no swap or fault figures/);
  });

  it('asks for more memory when used memory is near the size and the guest pages', () => {
    const vm = history(
      2,
      () => 10,
      () => 7.6 * GiB,
    );
    vm.points.forEach((p, m) => {
      p.swapInBytesPerSec = m % 60 < 5 ? 512 * 1024 : 0;
      p.majorFaultsPerSec = m % 60 < 5 ? 150 : 1;
    });
    const got = analyzeVm(vm, now);
    if (got.status !== 'analysed') throw new Error(got.reason);
    expect(got.figures.paging?.minutes).toBe(48 * 5);
    const more = got.recommendations.find((r) => r.kind === 'more-memory');
    expect(more?.to).toBeGreaterThan(8 * GiB);
    expect(more?.reason).toMatch(/paged in 240 min \(swap-in p95 512 KiB\/s/);
  });

  it('adds the memory the guest never sees to every size', () => {
    const make = (total: number | null) => {
      const vm = history(
        7,
        () => 5,
        () => GiB,
      );
      for (const p of vm.points) p.memGuestTotalBytes = total;
      return analyzeVm(vm, now);
    };
    const plain = make(null);
    const reserved = make(8 * GiB - 300 * MiB);
    if (plain.status !== 'analysed' || reserved.status !== 'analysed') throw new Error('no');
    expect(reserved.figures.memory?.overheadBytes).toBe(300 * MiB);
    expect((reserved.memoryBytes?.upper ?? 0) - (plain.memoryBytes?.upper ?? 0)).toBeCloseTo(
      300 * MiB,
      -3,
    );
  });

  it('asks for one more vCPU for a busy guest on a host losing CPU to steal', () => {
    const busy = (steal: number | null) =>
      analyzeVm(
        history(
          2,
          // p95 82 %: busy, yet p90 × 1.15 of 4 vCPUs (3.8) asks for no more by itself.
          () => 82,
          () => GiB,
          { vcpus: 4, hostStealPercentP95: steal },
        ),
        now,
      );
    const stolen = busy(25);
    const calm = busy(1);
    if (stolen.status !== 'analysed' || calm.status !== 'analysed') throw new Error('no');
    const more = stolen.recommendations.find((r) => r.kind === 'more-vcpus');
    expect(more?.to).toBe(5);
    expect(more?.reason).toMatch(/loses 25 % of its CPU time to steal/);
    expect(calm.recommendations.map((r) => r.kind)).not.toContain('more-vcpus');
  });

  it('calls a desktop never connected in all of a long enough quiet history idle too', () => {
    const settings = { ...defaultAnalysisSettings, idleDays: 3 };
    const long = analyzeVm(
      history(
        4,
        () => 1,
        () => GiB,
        { lct: null, displaySpans: [] },
      ),
      now,
      settings,
    );
    const short = analyzeVm(
      history(
        2,
        () => 1,
        () => GiB,
        { lct: null, displaySpans: [] },
      ),
      now,
      settings,
    );
    if (long.status !== 'analysed' || short.status !== 'analysed') throw new Error('no');
    expect(long.recommendations.map((r) => r.kind)).toEqual(
      expect.arrayContaining(['never-connected', 'idle-desktop']),
    );
    expect(long.recommendations.find((r) => r.kind === 'idle-desktop')?.reason).toMatch(
      /No display connection for 3\.9 days \(all its history\)/,
    );
    // Two days without a connect is not yet three.
    const shortKinds = short.recommendations.map((r) => r.kind);
    expect(shortKinds).toContain('never-connected');
    expect(shortKinds).not.toContain('idle-desktop');
  });

  it('does not call a desktop connected now idle, whatever its CPU', () => {
    const got = analyzeVm(
      history(
        20,
        () => 1,
        () => GiB,
        { lct: now - 30 * DAY, connectedNow: true },
      ),
      now,
    );
    if (got.status !== 'analysed') throw new Error('no');
    const kinds = got.recommendations.map((r) => r.kind);
    expect(kinds).not.toContain('idle-desktop');
    expect(kinds).not.toContain('never-connected');
  });
});
