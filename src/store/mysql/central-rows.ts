import { centralWidth } from './central-columns';
import { datetimeText, fitKey, fitText, integerValue, uuidProblem } from './central-values';
import { decodeMetric, hostMetrics, vmMetrics } from '../metrics';
import type { LatestStored, T1Row, T3Row } from './outbox';

/** The latest_* figures of a t1/t3 row, in the units of t2/t4's cpu, memory, disk, network. */
export interface LatestValues {
  latestTs: string | null;
  latestCpu: number | null;
  latestMemory: number | null;
  latestDisk: number | null;
  latestNetwork: number | null;
}

/** A t1_host row made valid for its columns (central-columns.ts), ready to bind. */
export interface T1Values extends LatestValues {
  hostIp: string;
  hostKey: string;
  hostName: string;
  hostLabel: string | null;
  vmc: number;
  cores: number | null;
  memoryBytes: number | null;
}

/** A t3_vm row made valid for its columns, ready to bind. */
export interface T3Values extends LatestValues {
  uuid: string;
  hostIp: string;
  hostKey: string;
  name: string;
  state: string;
  lct: string | null;
  connectedNow: 0 | 1;
  vcpus: number | null;
  lastSeen: string | null;
}

/** host_ip as every table writes it (a fact about the host; host_key is its identity). */
export function centralHostIp(hostIp: unknown): string {
  return fitKey(String(hostIp), centralWidth('t1_host', 'host_ip'));
}

/** host_key as every table writes it: t1's key, and what t2 and t3 refer to. */
export function centralHostKey(hostKey: unknown): string {
  return fitKey(String(hostKey), centralWidth('t1_host', 'host_key'));
}

const scaleOf = (defs: readonly { name: string; scale: number }[], name: string): number =>
  defs.find((m) => m.name === name)?.scale ?? Number.NaN;
const scales = {
  host: {
    cpu: scaleOf(hostMetrics, 'cpuPercent'),
    memUsed: scaleOf(hostMetrics, 'memUsedPercent'),
    bytes: scaleOf(hostMetrics, 'diskReadBytesPerSec'),
  },
  vm: {
    cpu: scaleOf(vmMetrics, 'cpuHostPercent'),
    memUsed: scaleOf(vmMetrics, 'memGuestUsedBytes'),
    bytes: scaleOf(vmMetrics, 'diskReadBytesPerSec'),
  },
};

/** A finite number for a DOUBLE column, else null. */
const finite = (n: number | null): number | null => (n !== null && Number.isFinite(n) ? n : null);

function sumOf(a: number | null, b: number | null): number | null {
  return a === null && b === null ? null : finite((a ?? 0) + (b ?? 0));
}

/**
 * The newest sample's figures as t2/t4 give them: a host's memory is its used percent, a
 * VM's the guest's used share of its total (none when the guest reports nothing).
 */
function latestValues(row: LatestStored, kind: 'host' | 'vm'): LatestValues {
  const scale = scales[kind];
  const bytes = (n: number | null): number | null => decodeMetric(n, scale.bytes);
  let memory = decodeMetric(row.latestMemUsed, scale.memUsed);
  if (kind === 'vm') {
    const total = decodeMetric(row.latestMemTotal, scale.memUsed);
    memory = memory !== null && total !== null && total > 0 ? (100 * memory) / total : null;
  }
  return {
    latestTs: datetimeText(row.latestTs),
    latestCpu: finite(decodeMetric(row.latestCpu, scale.cpu)),
    latestMemory: finite(memory),
    latestDisk: sumOf(bytes(row.latestDiskRd), bytes(row.latestDiskWr)),
    latestNetwork: sumOf(bytes(row.latestNetRx), bytes(row.latestNetTx)),
  };
}

/** The t1 row, or why it cannot be written. */
export function t1Values(h: T1Row): T1Values | string {
  const vmc = integerValue(h.vmc, 32);
  if (vmc === null) return `running VM count ${String(h.vmc)} is out of INT range`;
  return {
    hostIp: centralHostIp(h.hostIp),
    hostKey: centralHostKey(h.hostKey),
    ...latestValues(h, 'host'),
    hostName: fitText(String(h.hostName), centralWidth('t1_host', 'host_name')),
    hostLabel:
      h.hostLabel === null
        ? null
        : fitText(String(h.hostLabel), centralWidth('t1_host', 'host_label')),
    vmc,
    cores: integerValue(h.cores, 32),
    memoryBytes: integerValue(h.memoryBytes, 64),
  };
}

/** The t3 row, or why it cannot be written (a UUID that cannot be its key). */
export function t3Values(v: T3Row): T3Values | string {
  const problem = uuidProblem(v.uuid);
  if (problem) return problem;
  return {
    uuid: v.uuid,
    hostIp: centralHostIp(v.hostIp),
    hostKey: centralHostKey(v.hostKey),
    ...latestValues(v, 'vm'),
    name: fitText(String(v.name), centralWidth('t3_vm', 'name')),
    state: fitText(String(v.state), centralWidth('t3_vm', 'state')),
    // A time MySQL cannot hold is no time at all: lct and last_seen keep their old value.
    lct: datetimeText(v.lct),
    connectedNow: v.connectedNow ? 1 : 0,
    vcpus: integerValue(v.vcpus, 32),
    lastSeen: datetimeText(v.lastSeen),
  };
}
