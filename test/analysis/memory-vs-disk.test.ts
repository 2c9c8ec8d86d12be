import { describe, expect, it } from 'vitest';
import { memoryVsDisk } from '../../src/analysis/memory-vs-disk';
import type { MemoryDiskPoint } from '../../src/analysis/memory-vs-disk';

const MIN = 60_000;
const GiB = 1024 ** 3;
const t0 = Date.UTC(2026, 11, 1);

/** Minutes at one size with the given read rate. */
const run = (from: number, minutes: number, size: number | null, read: number): MemoryDiskPoint[] =>
  Array.from({ length: minutes }, (_, i) => ({
    ts: t0 + (from + i) * MIN,
    allocatedBytes: size,
    readBytesPerSec: read,
    writeBytesPerSec: read / 10,
    readIops: read / 4096,
    guestUsedBytes: GiB,
  }));

describe("memoryVsDisk (the paper's Fig. 13 from history)", () => {
  it('groups minutes by memory size, smallest first, with the disk figures of each', () => {
    const got = memoryVsDisk([
      ...run(0, 60, 4 * GiB, 80e6),
      ...run(60, 30, 2 * GiB, 670e6),
      ...run(90, 5, null, 1e9), // the balloon said nothing: left out
      ...run(95, 60, 8 * GiB, 83e6),
      ...run(155, 30, 4 * GiB + 300 * 1024, 78e6), // the balloon settles a few KiB off
    ]);
    expect(got.map((p) => [p.allocatedBytes / GiB, p.minutes])).toEqual([
      [2, 30],
      [4, 90],
      [8, 60],
    ]);
    const four = got[1];
    expect(four?.readBytesPerSecAvg).toBeCloseTo((60 * 80e6 + 30 * 78e6) / 90, 0);
    expect(four?.readBytesPerSecP95).toBe(80e6);
    expect(four?.writeBytesPerSecAvg).toBeCloseTo((60 * 8e6 + 30 * 7.8e6) / 90, 0);
    // 4 GiB came back after 8 GiB: two spans.
    expect(four?.spans).toEqual([
      [t0, t0 + 60 * MIN],
      [t0 + 155 * MIN, t0 + 185 * MIN],
    ]);
    expect(got[0]?.readBytesPerSecAvg).toBe(670e6);
  });

  it('gives nothing for a VM whose balloon never reported, and null figures where the disk did not', () => {
    expect(memoryVsDisk(run(0, 10, null, 1))).toEqual([]);
    const silent = run(0, 10, GiB, 0).map((p) => ({ ...p, readBytesPerSec: null, readIops: null }));
    expect(memoryVsDisk(silent)[0]).toMatchObject({
      minutes: 10,
      readBytesPerSecAvg: null,
      readBytesPerSecP95: null,
      readIopsAvg: null,
    });
  });
});
