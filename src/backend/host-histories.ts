import type { HostHistory } from '../analysis/host-analysis';
import type { Store } from '../store/store';
import { minuteRange } from './minute-range';

/** Every host the history knows, with its size and its minute CPU and memory in [from, to). */
export function readHostHistories(store: Store, from: number, to: number): HostHistory[] {
  const hosts = store.db
    .prepare('SELECT name, cores, memory_bytes FROM hosts ORDER BY name')
    .all() as { name: string; cores: number | null; memory_bytes: number | null }[];
  return hosts.map((host) => {
    const range = minuteRange(
      store,
      { kind: 'host', name: host.name },
      ['cpuPercent', 'memUsedPercent'],
      from,
      to,
    );
    const of = (metric: string) =>
      range.points
        .map((p) => p.values[metric]?.avg)
        .filter((v): v is number => v !== undefined && Number.isFinite(v));
    return {
      name: host.name,
      cpuCount: host.cores,
      memoryTotalBytes: host.memory_bytes,
      cpuPercent: of('cpuPercent'),
      memUsedPercent: of('memUsedPercent'),
    };
  });
}
