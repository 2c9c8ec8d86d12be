import { describe, expect, it } from 'vitest';
import { analyzeHosts, placements } from '../../src/analysis/host-analysis';
import type { HostHistory, HostVm } from '../../src/analysis/host-analysis';
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
      historyFromMs: 0,
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

const host = (name: string, cpu: number, mem: number, vms: HostVm[] = []): HostHistory => ({
  name,
  cpuCount: 16,
  memoryTotalBytes: 64 * GiB,
  cpuPercent: Array.from({ length: 100 }, (_, i) => (i < 95 ? cpu - 5 : cpu + 5)),
  memUsedPercent: Array.from({ length: 100 }, () => mem),
  vms,
});

const running = (uuid: string, vcpus: number, memoryBytes: number | null): HostVm => ({
  uuid,
  name: `desk-${uuid}`,
  state: 'running',
  vcpus,
  memoryBytes,
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
        minHistoryMs: 3_600_000,
        readyAtMs: 3_600_000,
        reason: '',
      },
    ];
    const inventory = [running('a', 8, 16 * GiB), running('b', 12, 32 * GiB), running('d', 4, 0)];
    const [one, two] = analyzeHosts(
      [host('kvm-1', 90, 70, inventory), host('kvm-2', 10, 20, [running('c', 2, 4 * GiB)])],
      vms,
    );
    expect(one).toMatchObject({
      allocatedVcpus: 24,
      allocatedMemoryBytes: 48 * GiB,
      runningVms: 3,
      vcpuRatio: 1.5,
      memoryRatio: 0.75,
      temperature: 'hot',
      freedVcpus: 6,
      addedVcpus: 0,
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

  it('counts what the overview counts: the running VMs of the inventory, analysed or not', () => {
    // Six VMs, none with an hour of history: what they are given still counts.
    const inventory: HostVm[] = [
      running('a', 2, 2 * GiB),
      running('b', 2, 2 * GiB),
      running('c', 1, null),
      { ...running('p', 1, 1 * GiB), state: 'paused' },
      { ...running('s', 4, 4 * GiB), state: 'shutoff' },
      { ...running('n', 2, 2 * GiB), vcpus: null },
    ];
    const waiting: VmAnalysis = {
      uuid: 'a',
      name: 'desk-a',
      host: 'kvm-1',
      status: 'not-enough-data',
      historyMs: 20 * 60_000,
      minHistoryMs: 3_600_000,
      readyAtMs: 40 * 60_000,
      reason: '',
    };
    const [one] = analyzeHosts(
      [{ ...host('kvm-1', 50, 50, inventory), cpuCount: 2, memoryTotalBytes: 8 * GiB }],
      [waiting],
    );
    expect(one).toMatchObject({
      runningVms: 4,
      allocatedVcpus: 5,
      allocatedMemoryBytes: 6 * GiB,
      vcpuRatio: 2.5,
      memoryRatio: 0.75,
    });
  });

  it('nets what the advice frees against what it adds', () => {
    const vms = [
      vm('a', 'kvm-1', 4, 8 * GiB, [
        { id: 'a:fewer-vcpus', kind: 'fewer-vcpus', reason: '', from: 4, to: 3 },
        { id: 'a:less-memory', kind: 'less-memory', reason: '', from: 8 * GiB, to: 6 * GiB },
      ]),
      vm('b', 'kvm-1', 2, 4 * GiB, [
        { id: 'b:more-vcpus', kind: 'more-vcpus', reason: '', from: 2, to: 3 },
        { id: 'b:more-memory', kind: 'more-memory', reason: '', from: 4 * GiB, to: 5 * GiB },
      ]),
    ];
    const [one] = analyzeHosts([host('kvm-1', 50, 50)], vms);
    expect(one).toMatchObject({
      freedVcpus: 1,
      addedVcpus: 1,
      freedMemoryBytes: 2 * GiB,
      addedMemoryBytes: 1 * GiB,
    });
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
