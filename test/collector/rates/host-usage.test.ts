import { describe, expect, it } from 'vitest';
import { hostUsage } from '../../../src/collector/rates/host-usage';
import { fixtureReading } from './fixture-readings';

describe('hostUsage', () => {
  it('puts CPU (total and per CPU), memory, disk, net and load together over the interval', () => {
    const usage = hostUsage(
      fixtureReading('edge-case/t0', 10_000),
      fixtureReading('edge-case/t1', 15_000),
    );
    expect(usage.intervalSec).toBe(5);
    // Aggregate Δ: user 910, nice 1, system 305, idle 1685, iowait 100, softirq 2, steal 2 → 3005.
    expect(usage.cpu!.percent).toBeCloseTo((100 * (3005 - 1785)) / 3005, 10);
    expect(usage.cpu!.perCpu.map((c) => c.index)).toEqual([0, 1, 3]);
    expect(usage.cpu!.perCpu[0]!.usage!.percent).toBeCloseTo((100 * 402) / 1002, 10);
    expect(usage.cpu!.perCpu[1]!.usage!.percent).toBeCloseTo((100 * 803) / 1003, 10);
    expect(usage.memory.totalBytes).toBe(65811424 * 1024);
    expect(usage.disk.devices.map((d) => d.name)).toContain('nvme0n10');
    expect(usage.net.rxBytesPerSec).toBe(100_000);
    expect(usage.load).toMatchObject({ load1: 3.05, runnable: 4 });
    expect(usage.uptimeSec).toBe(98770.43);
  });

  it('gives no negative rate when the host rebooted between readings', () => {
    const usage = hostUsage(fixtureReading('edge-case/t1'), fixtureReading('old-kernel'));
    expect(usage.cpu).toBeNull();
    const rates = [
      ...usage.disk.devices.flatMap((d) => [d.readBytesPerSec, d.writeBytesPerSec, d.utilPercent]),
      ...usage.net.interfaces.flatMap((i) => [i.rxBytesPerSec, i.txBytesPerSec, i.wireBitsPerSec]),
    ];
    expect(rates.every((r) => r === null || r >= 0)).toBe(true);
    expect(usage.disk.devices.find((d) => d.name === 'sda')!.readBytesPerSec).toBeNull();
  });
});
