import type { VmInventoryEntry } from './engine-events';
import type { VmCounts } from './host-view';

/** A host's VMs counted by state, with what the running ones were given. */
export function countVms(vms: Iterable<VmInventoryEntry>): VmCounts {
  const counts: VmCounts = {
    total: 0,
    running: 0,
    paused: 0,
    other: 0,
    displaysConnected: 0,
    allocatedVcpus: 0,
    allocatedMemoryBytes: 0,
  };
  for (const vm of vms) {
    if (vm.gone) continue;
    counts.total++;
    if (vm.state === 'running') {
      counts.running++;
      counts.allocatedVcpus += vm.vcpus ?? 0;
      counts.allocatedMemoryBytes += vm.currentMemoryBytes ?? vm.maxMemoryBytes ?? 0;
    } else if (vm.state === 'paused') {
      counts.paused++;
    } else {
      counts.other++;
    }
    if (vm.connectedNow) counts.displaysConnected++;
  }
  return counts;
}
