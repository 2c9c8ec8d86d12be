import { describe, expect, it } from 'vitest';
import { withHotHostNotes } from '../../src/analysis/hot-host-advice';
import type { HostAnalysis, Placement } from '../../src/analysis/host-analysis';
import type { Recommendation, VmAnalysis } from '../../src/analysis/vm-analysis';

const GiB = 1024 ** 3;

function vm(uuid: string, host: string, recommendations: Recommendation[]): VmAnalysis {
  return {
    uuid,
    name: `desk-${uuid}`,
    host,
    status: 'analysed',
    figures: {
      historyMs: 3_600_000,
      historyFromMs: 0,
      cpuGuestPercent: { p50: 90, p95: 100, max: 100 },
      memory: null,
      diskBytesPerSecP95: null,
      netBytesPerSecP95: null,
      paging: null,
      hostStealPercentP95: null,
      displayConnectedHours: 1,
    },
    vcpus: { allocated: 1, lower: 1, target: 1.15, upper: 2 },
    memoryBytes: null,
    recommendations,
  };
}

function host(name: string, temperature: HostAnalysis['temperature']): HostAnalysis {
  return {
    name,
    cpuCount: 4,
    memoryTotalBytes: 8 * GiB,
    allocatedVcpus: 4,
    allocatedMemoryBytes: 4 * GiB,
    runningVms: 4,
    vcpuRatio: 1,
    memoryRatio: 0.5,
    cpuPercentP95: temperature === 'hot' ? 100 : 20,
    memUsedPercentP95: 40,
    temperature,
    freedVcpus: 0,
    freedMemoryBytes: 0,
    addedVcpus: 1,
    addedMemoryBytes: 0,
    reclaimableVcpus: 0,
    reclaimableMemoryBytes: 0,
  };
}

const more = (uuid: string): Recommendation => ({
  id: `${uuid}:more-vcpus`,
  kind: 'more-vcpus',
  reason: "The guest's CPU is busy.",
  from: 1,
  to: 2,
});

describe('withHotHostNotes', () => {
  it('says that more vCPUs go on a hot host, and where the VM would fit', () => {
    const moves: Placement[] = [
      { uuid: 'a', name: 'desk-a', from: 'kvm-1', to: 'kvm-2', reason: '' },
    ];
    const [a, b, c] = withHotHostNotes(
      [vm('a', 'kvm-1', [more('a')]), vm('b', 'kvm-1', [more('b')]), vm('c', 'kvm-2', [more('c')])],
      [host('kvm-1', 'hot'), host('kvm-2', 'cold')],
      moves,
    );
    const first = a?.status === 'analysed' ? a.recommendations[0] : undefined;
    expect(first?.hotHost).toEqual({
      name: 'kvm-1',
      cpuPercentP95: 100,
      memUsedPercentP95: 40,
      fitsOn: 'kvm-2',
    });
    expect(first?.reason).toBe(
      "The guest's CPU is busy. Its host kvm-1 is hot (p95 CPU 100 %, memory 40 %): another vCPU there competes for the same busy CPUs; it would fit on kvm-2.",
    );
    const second = b?.status === 'analysed' ? b.recommendations[0] : undefined;
    expect(second?.hotHost?.fitsOn).toBeNull();
    expect(second?.reason).toMatch(/kvm-1 is hot .*; no other host has room for it\.$/);
    // On a cold host the advice stands as it was.
    expect(c?.status === 'analysed' && c.recommendations[0]).toEqual(more('c'));
  });
});
