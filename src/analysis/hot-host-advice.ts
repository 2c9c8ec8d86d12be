import type { HostAnalysis, Placement, VmAnalysis } from '../shared/model/analysis-view';

const pct = (v: number | null) => (v === null ? '?' : `${v.toFixed(0)} %`);

/**
 * More vCPUs for a guest on a hot host: the guest is busy, but so are the host's CPUs,
 * and another vCPU there competes for them. Such advice says the host is hot, and where
 * the VM would fit (the placements'), or that no host has room for it.
 */
export function withHotHostNotes(
  vms: readonly VmAnalysis[],
  hosts: readonly HostAnalysis[],
  moves: readonly Placement[],
): VmAnalysis[] {
  const hot = new Map(hosts.filter((h) => h.temperature === 'hot').map((h) => [h.name, h]));
  return vms.map((vm) => {
    const host = hot.get(vm.host);
    if (vm.status !== 'analysed' || !host) return vm;
    const fitsOn = moves.find((m) => m.uuid === vm.uuid)?.to ?? null;
    return {
      ...vm,
      recommendations: vm.recommendations.map((r) =>
        r.kind !== 'more-vcpus'
          ? r
          : {
              ...r,
              hotHost: {
                name: host.name,
                cpuPercentP95: host.cpuPercentP95,
                memUsedPercentP95: host.memUsedPercentP95,
                fitsOn,
              },
              reason: `${r.reason} Its host ${host.name} is hot (p95 CPU ${pct(host.cpuPercentP95)}, memory ${pct(host.memUsedPercentP95)}): another vCPU there competes for the same busy CPUs; ${fitsOn === null ? 'no other host has room for it' : `it would fit on ${fitsOn}`}.`,
            },
      ),
    };
  });
}
