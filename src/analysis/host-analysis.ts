import type {
  HostAnalysis,
  HostTemperature,
  Placement,
  VmAnalysis,
} from '../shared/model/analysis-view';
import { countsAsGiven } from '../shared/model/vm-counts';
import { percentile } from './percentiles';

// The result types are the page's (shared/model); re-exported for the analysis' callers,
// as are the history types it reads (what the store gives it).
export type { HostAnalysis, Placement } from '../shared/model/analysis-view';
export type { HostHistory, HostVm } from '../shared/model/usage-history';
import type { HostHistory } from '../shared/model/usage-history';

/** Hot: p95 CPU or memory past these; cold: both under those. */
export const temperatureLimits = {
  hotCpuPercent: 80,
  hotMemPercent: 90,
  coldCpuPercent: 30,
  coldMemPercent: 50,
};

const GiB = 1024 ** 3;

function temperatureOf(cpu: number | null, mem: number | null): HostTemperature {
  if (cpu === null || mem === null) return 'unknown';
  if (cpu > temperatureLimits.hotCpuPercent || mem > temperatureLimits.hotMemPercent) return 'hot';
  if (cpu < temperatureLimits.coldCpuPercent && mem < temperatureLimits.coldMemPercent) {
    return 'cold';
  }
  return 'normal';
}

type Analysed = Extract<VmAnalysis, { status: 'analysed' }>;

/** Each host's load, overcommit, and what the recommendations on its VMs would free. */
export function analyzeHosts(
  hosts: readonly HostHistory[],
  vms: readonly VmAnalysis[],
): HostAnalysis[] {
  return hosts.map((host) => {
    const mine = vms.filter(
      (vm): vm is Analysed => vm.status === 'analysed' && vm.host === host.name,
    );
    const given = host.vms.filter((vm) => countsAsGiven(vm.state));
    const allocatedVcpus = given.reduce((sum, vm) => sum + (vm.vcpus ?? 0), 0);
    const allocatedMemoryBytes = given.reduce((sum, vm) => sum + (vm.memoryBytes ?? 0), 0);
    let freedVcpus = 0;
    let freedMemoryBytes = 0;
    let addedVcpus = 0;
    let addedMemoryBytes = 0;
    let reclaimableVcpus = 0;
    let reclaimableMemoryBytes = 0;
    for (const vm of mine) {
      for (const r of vm.recommendations) {
        if (r.kind === 'fewer-vcpus') freedVcpus += (r.from ?? 0) - (r.to ?? 0);
        if (r.kind === 'less-memory') freedMemoryBytes += (r.from ?? 0) - (r.to ?? 0);
        if (r.kind === 'more-vcpus') addedVcpus += (r.to ?? 0) - (r.from ?? 0);
        if (r.kind === 'more-memory') addedMemoryBytes += (r.to ?? 0) - (r.from ?? 0);
      }
      // Idle and never connected are often both said of one desktop: it is reclaimed once.
      if (
        vm.recommendations.some((r) => r.kind === 'idle-desktop' || r.kind === 'never-connected')
      ) {
        reclaimableVcpus += vm.vcpus.allocated;
        reclaimableMemoryBytes += vm.memoryBytes?.allocated ?? 0;
      }
    }
    const cpuPercentP95 = host.cpuPercent.length ? percentile(host.cpuPercent, 0.95) : null;
    const memUsedPercentP95 = host.memUsedPercent.length
      ? percentile(host.memUsedPercent, 0.95)
      : null;
    return {
      name: host.name,
      cpuCount: host.cpuCount,
      memoryTotalBytes: host.memoryTotalBytes,
      allocatedVcpus,
      allocatedMemoryBytes,
      runningVms: given.length,
      vcpuRatio: host.cpuCount ? allocatedVcpus / host.cpuCount : null,
      memoryRatio: host.memoryTotalBytes ? allocatedMemoryBytes / host.memoryTotalBytes : null,
      cpuPercentP95,
      memUsedPercentP95,
      temperature: temperatureOf(cpuPercentP95, memUsedPercentP95),
      freedVcpus,
      freedMemoryBytes,
      addedVcpus,
      addedMemoryBytes,
      reclaimableVcpus,
      reclaimableMemoryBytes,
    };
  });
}

/**
 * For each hot host, its busiest VMs that another host has room for: room being the
 * CPUs its p95 leaves idle and the memory its p95 leaves free (below the hot limits),
 * against the VM's target. Each host's room shrinks as VMs are placed on it.
 */
export function placements(
  hosts: readonly HostAnalysis[],
  vms: readonly VmAnalysis[],
): Placement[] {
  const room = new Map(
    hosts
      .filter((h) => h.temperature === 'cold' || h.temperature === 'normal')
      .filter((h) => h.cpuCount && h.memoryTotalBytes)
      .map((h) => [
        h.name,
        {
          cpus:
            ((h.cpuCount as number) * (temperatureLimits.hotCpuPercent - (h.cpuPercentP95 ?? 0))) /
            100,
          memory:
            ((h.memoryTotalBytes as number) *
              (temperatureLimits.hotMemPercent - (h.memUsedPercentP95 ?? 0))) /
            100,
        },
      ]),
  );
  const out: Placement[] = [];
  for (const hot of hosts.filter((h) => h.temperature === 'hot')) {
    const candidates = vms
      .filter((vm): vm is Analysed => vm.status === 'analysed' && vm.host === hot.name)
      .sort((a, b) => b.vcpus.target - a.vcpus.target);
    for (const vm of candidates) {
      const memory = vm.memoryBytes?.target ?? vm.memoryBytes?.allocated ?? 0;
      const fit = [...room].find(([, r]) => r.cpus >= vm.vcpus.target && r.memory >= memory);
      if (!fit) continue;
      const [to, r] = fit;
      r.cpus -= vm.vcpus.target;
      r.memory -= memory;
      out.push({
        uuid: vm.uuid,
        name: vm.name,
        from: hot.name,
        to,
        reason: `${hot.name} is hot (p95 CPU ${(hot.cpuPercentP95 ?? 0).toFixed(0)} %, memory ${(hot.memUsedPercentP95 ?? 0).toFixed(0)} %); ${to} has room for ${vm.name}'s ${vm.vcpus.target.toFixed(1)} vCPUs and ${(memory / GiB).toFixed(1)} GiB.`,
      });
    }
  }
  return out;
}
