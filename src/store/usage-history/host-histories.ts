import type { HostHistory, HostVm } from '../../shared/model/usage-history';
import { decodeMetric, vmMetrics } from '../metrics';
import type { MetricDef } from '../metrics';
import type { Store } from '../store';
import { minuteAverages } from './minute-averages';
import { minuteRange } from './minute-range';

const allocation = vmMetrics.find((m) => m.name === 'memAllocatedBytes') as MetricDef<never>;

/**
 * Each VM of the host's inventory as last recorded: its state and vCPUs from the vms
 * table, its memory from its latest sample (the balloon's size then).
 */
function readHostVms(store: Store, hostId: number): HostVm[] {
  const rows = store.db
    .prepare(
      `SELECT v.uuid, v.name, v.state, v.vcpus,
         (SELECT s.${allocation.column} FROM vm_samples s WHERE s.vm_id = v.id
          ORDER BY s.ts DESC LIMIT 1) AS memory
       FROM vms v WHERE v.host_id = ? ORDER BY v.name, v.uuid`,
    )
    .all(hostId) as {
    uuid: string;
    name: string;
    state: string;
    vcpus: number | null;
    memory: number | null;
  }[];
  return rows.map(({ memory, ...vm }) => ({
    ...vm,
    memoryBytes: decodeMetric(memory, allocation.scale),
  }));
}

/**
 * Every host the history knows, with its size, its VMs, and its minute CPU and memory in
 * [from, to).
 */
export function readHostHistories(store: Store, from: number, to: number): HostHistory[] {
  const hosts = store.db
    .prepare(
      'SELECT id, key, coalesce(label, name) AS name, cores, memory_bytes FROM hosts ORDER BY name',
    )
    .all() as {
    id: number;
    key: string;
    name: string;
    cores: number | null;
    memory_bytes: number | null;
  }[];
  return hosts.map((host) => {
    const range = minuteRange(
      store,
      { kind: 'host', key: host.key },
      ['cpuPercent', 'memUsedPercent'],
      from,
      to,
    );
    return {
      name: host.name,
      cpuCount: host.cores,
      memoryTotalBytes: host.memory_bytes,
      cpuPercent: minuteAverages(range, 'cpuPercent'),
      memUsedPercent: minuteAverages(range, 'memUsedPercent'),
      vms: readHostVms(store, host.id),
    };
  });
}
