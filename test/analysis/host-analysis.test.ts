import { describe, expect, it } from 'vitest';
import { analyzeHosts, placements } from '../../src/analysis/host-analysis';
import type { HostHistory } from '../../src/analysis/host-analysis';
import type { VmAnalysis } from '../../src/analysis/vm-analysis';

const GiB = 1024 ** 3;

function vm(
  uuid: string,
  host: string,
  vcpus: number,
  memory: number,
  recommendations: Extract<VmAnalysis, { status: 'analysed' }>['recommendations'] = [],
  target = vcpus / 2,
): VmAnalysis {
  return {
    uuid,
    name: `desk-${uuid}`,
    host,
    status: 'analysed',
    figures: {
      historyMs: 86_400_000,
      cpuGuestPercent: { p50: 10, p95: 20, max: 30 },
      memory: {
        dailyPeakP95Bytes: memory / 2,
        maxBytes: memory / 2,
        allocatedBytes: memory,
        overheadBytes: 0,
      },
      diskBytesPerSecP95: null,
      netBytesPerSecP95: null,
      paging: null,
      hostStealPercentP95: null,
      displayConnectedHours: 1,
    },
    vcpus: { allocated: vcpus, lower: target / 2, target, upper: target * 1.5 },
    memoryBytes: { allocated: memory, lower: memory / 4, target: memory / 2, upper: memory * 0.6 },
    recommendations,
  };
}

const host = (name: string, cpu: number, mem: number): HostHistory => ({
  name,
  cpuCount: 16,
  memoryTotalBytes: 64 * GiB,
  cpuPercent: Array.from({ length: 100 }, (_, i) => (i < 95 ? cpu - 5 : cpu + 5)),
  memUsedPercent: Array.from({ length: 100 }, () => mem),
});

describe('analyzeHosts', () => {
  it('sums what is given and what the advice frees, and tells hot from cold', () => {
    const vms: VmAnalysis[] = [
      vm('a', 'kvm-1', 8, 16 * GiB, [
        { id: 'a:fewer-vcpus', kind: 'fewer-vcpus', reason: '', from: 8, to: 2 },
        { id: 'a:less-memory', kind: 'less-memory', reason: '', from: 16 * GiB, to: 4 * GiB },
      ]),
      // Both idle and never connected: its 12 vCPUs and 32 GiB are reclaimable once.
      vm('b', 'kvm-1', 12, 32 * GiB, [
        { id: 'b:never-connected', kind: 'never-connected', reason: '' },
        { id: 'b:idle-desktop', kind: 'idle-desktop', reason: '' },
      ]),
      vm('c', 'kvm-2', 2, 4 * GiB),
      {
        uuid: 'd',
        name: 'new',
        host: 'kvm-1',
        status: 'not-enough-data',
        historyMs: 0,
        reason: '',
      },
    ];
    const [one, two] = analyzeHosts([host('kvm-1', 90, 70), host('kvm-2', 10, 20)], vms);
    expect(one).toMatchObject({
      allocatedVcpus: 20,
      allocatedMemoryBytes: 48 * GiB,
      vcpuRatio: 1.25,
      memoryRatio: 0.75,
      temperature: 'hot',
      freedVcpus: 6,
      freedMemoryBytes: 12 * GiB,
      reclaimableVcpus: 12,
      reclaimableMemoryBytes: 32 * GiB,
    });
    expect(one?.cpuPercentP95).toBeCloseTo(85, 0);
    expect(two?.temperature).toBe('cold');
    expect(analyzeHosts([{ ...host('x', 1, 1), cpuPercent: [] }], [])[0]?.temperature).toBe(
      'unknown',
    );
  });

  it('moves the busiest VMs of a hot host where they fit, and no more than fits', () => {
    const vms = [
      vm('big', 'kvm-1', 8, 16 * GiB, [], 6),
      vm('mid', 'kvm-1', 4, 8 * GiB, [], 3),
      vm('huge', 'kvm-1', 32, 128 * GiB, [], 30),
    ];
    const hosts = analyzeHosts([host('kvm-1', 95, 80), host('kvm-2', 50, 40)], vms);
    // kvm-2: 16 CPUs × (80 − 50) % = 4.8 CPUs of room, 64 GiB × (90 − 40) % = 32 GiB.
    const moves = placements(hosts, vms);
    expect(moves.map((m) => [m.name, m.to])).toEqual([['desk-mid', 'kvm-2']]);
    expect(moves[0]?.reason).toMatch(/kvm-1 is hot \(p95 CPU 90 %, memory 80 %\); kvm-2 has room/);
  });
});
