import type { VmInventoryEntry } from './engine-events';
import type { VmCounts } from './host-view';

/**
 * Whether a VM's vCPUs and memory count as given on its host: only a running one's (a
 * paused guest runs nothing, a stopped one holds nothing). The overview and the
 * analysis' overcommit count the same VMs.
 */
export const countsAsGiven = (state: string): boolean => state === 'running';

/**
 * What counting a VM needs: an inventory entry has it, and so has a VM read from the
 * central database (no memory sizes, never gone), which is counted without first being
 * made into an entry.
 */
export type CountedVm = Pick<VmInventoryEntry, 'vcpus' | 'connectedNow'> &
  Partial<Pick<VmInventoryEntry, 'gone' | 'currentMemoryBytes' | 'maxMemoryBytes'>> & {
    /** A libvirt state name; one the counts do not know is "other". */
    state: string;
  };

/** A host's VMs counted by state, with what the running ones were given. */
export function countVms(vms: Iterable<CountedVm>): VmCounts {
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
    if (countsAsGiven(vm.state)) {
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
