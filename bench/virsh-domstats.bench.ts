// Baseline for the libvirt client: what `virsh domstats --raw` costs per call,
// for the bed's 4 real guests and for the 50-domain test-driver fleet.
// 'ours' stays null here; the libvirt client's own bench file measures itself
// against these same calls in its run.
import { parseDomstats } from '../test/bed/virsh-domstats';
import { requireBed } from '../test/helpers/bed';
import { median, percentile } from './lib/stats';
import { timeCommand } from './lib/time-command';
import type { BenchResult, Benchmark } from './lib/types';

const calls = 25;
const name = 'virsh-domstats';

function measure(uri: string, domains: string[], label: string): BenchResult[] {
  const args = ['-c', uri, 'domstats', '--raw', ...domains];
  // One call first to check the output and warm caches; it is not counted.
  const first = parseDomstats(timeCommand('virsh', args).stdout);
  const expected = domains.length > 0 ? domains.length : first.size;
  if (first.size !== expected || expected === 0) {
    throw new Error(
      `virsh domstats on ${uri} returned ${first.size} domains, expected ${expected}`,
    );
  }
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < calls; i += 1) {
    const t = timeCommand('virsh', args);
    wall.push(t.wallMs);
    cpu.push(t.cpuMs);
  }
  const baselineName = 'virsh domstats --raw';
  const note = `median of ${calls} calls; p90 wall ${percentile(wall, 90).toFixed(1)} ms, p90 cpu ${percentile(cpu, 90).toFixed(1)} ms`;
  return [
    {
      benchmark: name,
      metric: `CPU time per call, ${label}`,
      unit: 'ms',
      ours: null,
      baseline: median(cpu),
      baselineName,
      better: 'lower',
      note,
    },
    {
      benchmark: name,
      metric: `wall time per call, ${label}`,
      unit: 'ms',
      ours: null,
      baseline: median(wall),
      baselineName,
      better: 'lower',
    },
  ];
}

const benchmark: Benchmark = {
  name,
  async run() {
    const bed = requireBed();
    const results = measure(
      bed.libvirt.uri,
      bed.domains.map((d) => d.name),
      `${bed.domains.length} bed guests`,
    );
    if (bed.libvirt.fleetUri) {
      results.push(
        ...measure(bed.libvirt.fleetUri, [], `${bed.libvirt.fleetSize ?? 50} test-driver domains`),
      );
    }
    return results;
  },
};

export default benchmark;
