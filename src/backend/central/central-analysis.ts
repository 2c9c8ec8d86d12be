import type {
  HostHistory,
  HostVm,
  MemoryDiskPoint,
  VmHistory,
} from '../../shared/model/usage-history';
import { MINUTE_MS } from '../../shared/time-ms';
import { memoryDiskMetrics, memoryDiskPoints } from '../../store/usage-history/memory-disk-history';
import { minuteAverages } from '../../store/usage-history/minute-averages';
import {
  analysisVmMetrics,
  usagePointOf,
  type StealSummary,
} from '../../store/usage-history/vm-histories';
import { centralHostName } from './central-fleet-view';
import type { CentralFleet } from './central-service';

/** What the analysis reads of the fleet seen only through the central database. */
export interface CentralHistories {
  vms: VmHistory[];
  hosts: HostHistory[];
}

/** The minutes of [from, to) the central tables are read in: whole minutes, as the store's. */
function minutesOf(from: number, to: number) {
  const start = Math.floor(from / MINUTE_MS) * MINUTE_MS;
  return { from: start, to, maxPoints: Math.ceil((to - start) / MINUTE_MS), bucketMs: MINUTE_MS };
}

/**
 * The hosts and VMs a console shows from the central database, over [from, to), as the
 * analysis reads its own history: each VM's minutes (guest CPU, memory, disk, network,
 * paging) and allocation, each host's size, minute CPU and memory, and CPU steal. One
 * range read per host and per VM on t2/t4's keys, averaged by minute on the server.
 * What t3/t4 do not keep is said so: a VM's display spans (only its last connect is
 * there) are null.
 */
export async function readCentralHistories(
  fleet: CentralFleet,
  from: number,
  to: number,
  summariseSteal: StealSummary,
): Promise<CentralHistories> {
  const range = minutesOf(from, to);
  const out: CentralHistories = { vms: [], hosts: [] };
  for (const { host, vms } of fleet.source.shownFleet()) {
    const hostMinutes = await fleet.history.query({
      entity: { kind: 'host', key: host.hostKey },
      metrics: ['cpuPercent', 'memUsedPercent', 'cpuStealPercent'],
      ...range,
    });
    const steal = summariseSteal(minuteAverages(hostMinutes, 'cpuStealPercent'));
    const hostName = centralHostName(host);
    const hostVms: HostVm[] = [];
    for (const vm of vms) {
      const minutes = await fleet.history.query({
        entity: { kind: 'vm', uuid: vm.uuid },
        metrics: analysisVmMetrics,
        ...range,
      });
      let allocated: number | null = null;
      for (const point of minutes.points) {
        allocated = point.values['memAllocatedBytes']?.max ?? allocated;
      }
      hostVms.push({
        uuid: vm.uuid,
        name: vm.name,
        state: vm.state,
        vcpus: vm.vcpus,
        memoryBytes: allocated,
      });
      const points = minutes.points.filter((p) => p.n > 0).map(usagePointOf);
      if (points.length === 0) continue;
      out.vms.push({
        uuid: vm.uuid,
        name: vm.name,
        host: hostName,
        vcpus: vm.vcpus ?? 1,
        memAllocatedBytes: allocated,
        lct: vm.lctMs,
        connectedNow: vm.connectedNow,
        points,
        displaySpans: null,
        hostStealPercentP95: steal,
      });
    }
    out.hosts.push({
      name: hostName,
      cpuCount: host.cpuCores,
      memoryTotalBytes: host.memoryBytes,
      cpuPercent: minuteAverages(hostMinutes, 'cpuPercent'),
      memUsedPercent: minuteAverages(hostMinutes, 'memUsedPercent'),
      vms: hostVms,
    });
  }
  return out;
}

/** A central VM's minutes in [from, to) as the memory-vs-disk table (Fig. 13) reads them. */
export async function readCentralMemoryDisk(
  fleet: CentralFleet,
  uuid: string,
  from: number,
  to: number,
): Promise<MemoryDiskPoint[]> {
  return memoryDiskPoints(
    await fleet.history.query({
      entity: { kind: 'vm', uuid },
      metrics: memoryDiskMetrics,
      ...minutesOf(from, to),
    }),
  );
}
