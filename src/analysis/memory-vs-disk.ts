import type { MemorySizePeriod } from '../shared/model/analysis-view';
import { percentile } from './percentiles';

// The result type is the page's (shared/model); re-exported for the analysis' callers,
// as is the history type it reads (what the store gives it).
export type { MemorySizePeriod } from '../shared/model/analysis-view';
export type { MemoryDiskPoint } from '../shared/model/usage-history';
import type { MemoryDiskPoint } from '../shared/model/usage-history';
import { MINUTE_MS } from '../shared/time-ms';

const average = (values: number[]) =>
  values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length;

/**
 * The paper's Fig. 13 from history: the VM's disk throughput grouped by the memory it
 * had at the time, smallest size first. A guest with more memory caches more of its disk,
 * so reads fall (or stop improving) as memory grows: where they stop falling is the size
 * worth giving. Minutes without an allocation (the balloon never reported) are left out.
 */
export function memoryVsDisk(points: readonly MemoryDiskPoint[]): MemorySizePeriod[] {
  const bySize = new Map<number, MemoryDiskPoint[]>();
  const spans = new Map<number, [number, number][]>();
  let previous: number | null = null;
  for (const p of points) {
    if (p.allocatedBytes === null) {
      previous = null;
      continue;
    }
    // Sizes are compared to the MiB: the balloon reports KiB and settles in steps.
    const size = Math.round(p.allocatedBytes / 1048576) * 1048576;
    const list = bySize.get(size) ?? [];
    list.push(p);
    bySize.set(size, list);
    const own = spans.get(size) ?? [];
    const last = own.at(-1);
    if (previous === size && last && p.ts - last[1] <= MINUTE_MS) last[1] = p.ts + MINUTE_MS;
    else own.push([p.ts, p.ts + MINUTE_MS]);
    spans.set(size, own);
    previous = size;
  }
  const of = (list: MemoryDiskPoint[], pick: (p: MemoryDiskPoint) => number | null) =>
    list.map(pick).filter((v): v is number => v !== null && Number.isFinite(v));
  return [...bySize.entries()]
    .sort(([a], [b]) => a - b)
    .map(([allocatedBytes, list]) => {
      const reads = of(list, (p) => p.readBytesPerSec);
      return {
        allocatedBytes,
        minutes: list.length,
        spans: spans.get(allocatedBytes) ?? [],
        readBytesPerSecAvg: average(reads),
        readBytesPerSecP95: reads.length === 0 ? null : percentile(reads, 0.95),
        writeBytesPerSecAvg: average(of(list, (p) => p.writeBytesPerSec)),
        readIopsAvg: average(of(list, (p) => p.readIops)),
        guestUsedBytesAvg: average(of(list, (p) => p.guestUsedBytes)),
      };
    });
}
