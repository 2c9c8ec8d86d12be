import { describe, expect, it } from 'vitest';
import { cpuUsage } from '../../../src/collector/rates/cpu-usage';
import type { CpuTimes } from '../../../src/collector/procfs/stat';
import { fixtureReading } from './fixture-readings';

function times(values: Partial<Record<keyof CpuTimes, bigint>>): CpuTimes {
  return {
    userTicks: 0n,
    niceTicks: 0n,
    systemTicks: 0n,
    idleTicks: 0n,
    iowaitTicks: 0n,
    irqTicks: 0n,
    softirqTicks: 0n,
    stealTicks: 0n,
    guestTicks: 0n,
    guestNiceTicks: 0n,
    ...values,
  };
}

describe('cpuUsage (paper eq. 1, over Δtotal)', () => {
  it('computes busy % and the split of this host between its two captures', () => {
    // t0: cpu 23279 0 8635 63419 977 0 359 3586; t1: cpu 23283 0 8642 64020 981 0 359 3586
    // Δ user 4, system 7, idle 601, iowait 4 → Δtotal 616, busy 616 − 605 = 11.
    const usage = cpuUsage(
      fixtureReading('this-host/t0').stat.cpu,
      fixtureReading('this-host/t1').stat.cpu,
    )!;
    expect(usage.percent).toBeCloseTo((100 * 11) / 616, 10);
    expect(usage.user).toBeCloseTo((100 * 4) / 616, 10);
    expect(usage.system).toBeCloseTo((100 * 7) / 616, 10);
    expect(usage.iowait).toBeCloseTo((100 * 4) / 616, 10);
    expect(usage.idle).toBeCloseTo((100 * 601) / 616, 10);
    expect(usage.steal).toBe(0);
  });

  it('stays exact for a CPU whose idle counter is near 2^64', () => {
    // cpu3: Δ user 10, system 5, idle 985 → 1.5 % busy; as doubles Δidle would be 0 or 2048.
    const before = fixtureReading('edge-case/t0').stat.cpus.find((c) => c.index === 3)!;
    const after = fixtureReading('edge-case/t1').stat.cpus.find((c) => c.index === 3)!;
    const usage = cpuUsage(before.times, after.times)!;
    expect(usage.percent).toBeCloseTo(1.5, 12);
    expect(usage.idle).toBeCloseTo(98.5, 12);
  });

  it('counts iowait as idle and divides by Δtotal, not by the total since boot (the paper)', () => {
    const previous = times({ userTicks: 1_000_000n, idleTicks: 9_000_000n });
    const current = times({ userTicks: 1_000_050n, idleTicks: 9_000_030n, iowaitTicks: 20n });
    const usage = cpuUsage(previous, current)!;
    expect(usage.percent).toBe(50);
    expect(usage.iowait).toBe(20);
    // The paper's 100 − 100/total × Δidle gives ~100 % here.
    expect(100 - (100 / 10_000_100) * 30).toBeGreaterThan(99.99);
  });

  it('leaves guest time out of the total (already inside user)', () => {
    const usage = cpuUsage(times({}), times({ userTicks: 50n, guestTicks: 50n, idleTicks: 50n }))!;
    expect(usage.percent).toBe(50);
  });

  it('gives no rate when a counter went backwards or no tick passed', () => {
    expect(
      cpuUsage(times({ idleTicks: 100n }), times({ idleTicks: 99n, userTicks: 5n })),
    ).toBeNull();
    expect(cpuUsage(times({ idleTicks: 100n }), times({ idleTicks: 100n }))).toBeNull();
  });
});
