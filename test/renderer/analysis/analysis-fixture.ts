import { withHotHostNotes } from '../../../src/analysis/hot-host-advice';
import type { HostAnalysis } from '../../../src/analysis/host-analysis';
import { analyzeVm } from '../../../src/analysis/vm-analysis';
import type { VmHistory, VmUsagePoint } from '../../../src/analysis/vm-analysis';
import type { AnalysisResult, ApplyPreview } from '../../../src/shared/model/analysis-view';
import type { AuditEntry } from '../../../src/shared/model/audit-entry';
import { desktop } from '../desktops/desktop-factory';

export const GiB = 1024 ** 3;
export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
export const now = Date.UTC(2026, 11, 3, 12);
export const uuid = (n: number) => `5e7a0b0d-0000-4000-8000-00000000000${n}`;

/** A week of a VM's minutes: CPU and used memory constant, as given, the rest as `point` says. */
export function vm(
  id: string,
  name: string,
  host: string,
  cpu: number,
  used: number,
  rest: Partial<VmHistory> = {},
  point: Partial<VmUsagePoint> = {},
) {
  const points = Array.from({ length: 7 * 1440 }, (_, m) => ({
    ts: now - (7 * 1440 - m) * 60_000,
    cpuGuestPercent: cpu,
    memGuestUsedMaxBytes: used,
    memGuestTotalBytes: null,
    memAllocatedBytes: 8 * GiB,
    diskBytesPerSec: 0,
    netBytesPerSec: 0,
    swapInBytesPerSec: 0,
    majorFaultsPerSec: 0,
    ...point,
  }));
  return analyzeVm(
    {
      uuid: id,
      name,
      host,
      vcpus: 4,
      memAllocatedBytes: 8 * GiB,
      lct: now - DAY,
      connectedNow: false,
      points,
      displaySpans: [],
      hostStealPercentP95: null,
      ...rest,
    },
    now,
  );
}

export function host(name: string, temperature: HostAnalysis['temperature']): HostAnalysis {
  return {
    name,
    cpuCount: 16,
    memoryTotalBytes: 64 * GiB,
    allocatedVcpus: 12,
    allocatedMemoryBytes: 24 * GiB,
    runningVms: 3,
    vcpuRatio: 0.75,
    memoryRatio: 0.375,
    cpuPercentP95: temperature === 'hot' ? 100 : 20,
    memUsedPercentP95: 40,
    temperature,
    freedVcpus: 1,
    freedMemoryBytes: 0,
    addedVcpus: 1,
    addedMemoryBytes: 2 * GiB,
    reclaimableVcpus: 0,
    reclaimableMemoryBytes: 0,
  };
}

/** A desktop still short of its hour: 20 minutes recorded. */
export const young = {
  uuid: uuid(3),
  name: 'desk-new',
  host: 'kvm-a',
  status: 'not-enough-data' as const,
  historyMs: 20 * 60_000,
  minHistoryMs: HOUR,
  readyAtMs: now + 40 * 60_000,
  reason: '',
};

const hosts = [host('kvm-a', 'normal'), host('kvm-b', 'hot')];

/**
 * Desktops with advice of every kind the view words: fewer vCPUs and less memory, more
 * vCPUs on a hot host, more memory without paging figures, never connected; and one
 * still waiting for its hour of history.
 */
export const analysis: AnalysisResult = {
  at: now,
  windowMs: 7 * DAY,
  minHistoryMs: HOUR,
  vms: withHotHostNotes(
    [
      vm(uuid(1), 'desk-big', 'kvm-a', 3, 1.5 * GiB),
      vm(
        uuid(2),
        'desk-busy',
        'kvm-b',
        95,
        7.9 * GiB,
        {},
        { swapInBytesPerSec: null, majorFaultsPerSec: null },
      ),
      vm(uuid(4), 'desk-ghost', 'kvm-a', 1, 1 * GiB, { lct: null }),
      young,
    ],
    hosts,
    [],
  ),
  hosts,
  placements: [],
};

/** A preview with each kind of step and of part not done. */
export const preview = (scope: string): ApplyPreview => ({
  id: `${uuid(1)}:less-memory`,
  kind: 'less-memory',
  uuid: uuid(1),
  vmName: 'desk-big',
  host: 'kvm-a',
  reason: '',
  change: 'memory',
  from: 8 * GiB,
  to: 2 * GiB,
  steps:
    scope === 'live'
      ? [{ scope: 'live', sets: 'size' }]
      : [
          { scope: 'live', sets: 'size' },
          { scope: 'config', sets: 'size' },
        ],
  skipped: [],
});

export const auditEntry = (id: number, rest: Partial<AuditEntry> = {}): AuditEntry => ({
  id,
  ts: now,
  actor: 'admin@console',
  host: 'kvm-a',
  vmUuid: uuid(1),
  vmName: 'desk-big',
  change: 'memory',
  recommendation: `${uuid(1)}:less-memory`,
  before: 8 * GiB,
  after: 2 * GiB,
  scope: 'live',
  result: 'applied',
  detail: null,
  ...rest,
});

/** An inventory host read from the central database, with VMs of these UUIDs. */
export function centralHost(name: string, uuids: string[]) {
  return {
    id: `central-${name}`,
    source: 'central',
    name,
    status: {
      status: 'up',
      reason: null,
      procError: null,
      libvirtError: null,
      retryAt: null,
      failedAttempts: 0,
    },
    identity: {
      hostname: name,
      primaryIp: '192.0.2.7',
      cpuCount: 8,
      cpuModel: null,
      memoryTotalBytes: 8e9,
      kernelRelease: null,
    },
    libvirt: null,
    figures: null,
    vms: uuids.map((u, i) => ({
      ...desktop(i + 1, { host: `central-${name}` }),
      uuid: u,
      figures: null,
    })),
  };
}
