import { readdirSync } from 'node:fs';
import { join } from 'node:path';

/** bench/*.bench.ts files under dir whose name contains filter (all when filter is empty), sorted. */
export function discoverBenchFiles(dir: string, filter = ''): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.bench.ts'))
    .filter((f) => f.slice(0, -'.bench.ts'.length).includes(filter))
    .sort()
    .map((f) => join(dir, f));
}
