import { percentile } from '../analysis/vm-analysis';
import type { VmHistory, VmUsagePoint } from '../analysis/vm-analysis';
import type { Store } from '../store/store';
import { minuteRange } from './minute-range';
import { sumKnown } from '../shared/model/sum-known';

interface VmRow {
  uuid: string;
  name: string;
  vcpus: number | null;
  lct: number | null;
  connected_now: number;
  host: string | null;
}

const metrics = [
  'cpuGuestPercent',
  'memGuestUsedBytes',
  'memGuestTotalBytes',
  'memAllocatedBytes',
  'diskReadBytesPerSec',
  'diskWriteBytesPerSec',
  'netRxBytesPerSec',
  'netTxBytesPerSec',
  'memSwapInBytesPerSec',
  'memMajorFaultsPerSec',
];

/** When a display client was connected: connect and disconnect events paired in order. */
function displaySpans(store: Store, uuid: string, from: number, to: number, connectedNow: boolean) {
  const events = store.db
    .prepare(
      `SELECT e.ts AS ts, e.kind AS kind FROM vm_events e JOIN vms v ON v.id = e.vm_id
       WHERE v.uuid = ? AND e.kind IN ('display-connect', 'display-disconnect') AND e.ts < ?
       ORDER BY e.ts, e.id`,
    )
    .all(uuid, to) as { ts: number; kind: string }[];
  const spans: [number, number][] = [];
  let open: number | null = null;
  for (const { ts, kind } of events) {
    if (kind === 'display-connect') open ??= ts;
    else if (open !== null) {
      if (ts > from) spans.push([Math.max(open, from), ts]);
      open = null;
    }
  }
  if (open !== null && connectedNow) spans.push([Math.max(open, from), to]);
  return spans;
}

function hostStealP95(store: Store, host: string, from: number, to: number): number | null {
  const range = minuteRange(store, { kind: 'host', name: host }, ['cpuStealPercent'], from, to);
  const values = range.points
    .map((p) => p.values['cpuStealPercent']?.avg)
    .filter((v): v is number => v !== undefined && Number.isFinite(v));
  return values.length === 0 ? null : percentile(values, 0.95);
}

/**
 * Every VM with history in [from, to), as the analysis reads it: minute averages of its
 * guest CPU, disk and network, each minute's highest guest-used memory, its allocation,
 * last connect and display spans. VMs without a sample in the window are left out.
 */
export function readVmHistories(store: Store, from: number, to: number): VmHistory[] {
  const vms = store.db
    .prepare(
      `SELECT v.uuid, v.name, v.vcpus, v.lct, v.connected_now, h.name AS host
       FROM vms v LEFT JOIN hosts h ON h.id = v.host_id ORDER BY v.name, v.uuid`,
    )
    .all() as VmRow[];
  const steals = new Map<string, number | null>();
  // Read once per host: its VMs share the figure.
  const hostSteal = (host: string): number | null => {
    if (!steals.has(host)) steals.set(host, hostStealP95(store, host, from, to));
    return steals.get(host) ?? null;
  };
  const out: VmHistory[] = [];
  for (const vm of vms) {
    const range = minuteRange(store, { kind: 'vm', uuid: vm.uuid }, metrics, from, to);
    let allocated: number | null = null;
    const points: VmUsagePoint[] = [];
    for (const point of range.points) {
      if (point.n === 0) continue;
      const v = point.values;
      allocated = v['memAllocatedBytes']?.max ?? allocated;
      points.push({
        ts: point.ts,
        cpuGuestPercent: v['cpuGuestPercent']?.avg ?? null,
        memGuestUsedMaxBytes: v['memGuestUsedBytes']?.max ?? null,
        memGuestTotalBytes: v['memGuestTotalBytes']?.avg ?? null,
        memAllocatedBytes: v['memAllocatedBytes']?.avg ?? null,
        diskBytesPerSec: sumKnown(v['diskReadBytesPerSec']?.avg, v['diskWriteBytesPerSec']?.avg),
        netBytesPerSec: sumKnown(v['netRxBytesPerSec']?.avg, v['netTxBytesPerSec']?.avg),
        swapInBytesPerSec: v['memSwapInBytesPerSec']?.avg ?? null,
        majorFaultsPerSec: v['memMajorFaultsPerSec']?.avg ?? null,
      });
    }
    if (points.length === 0) continue;
    out.push({
      uuid: vm.uuid,
      name: vm.name,
      host: vm.host ?? '',
      vcpus: vm.vcpus ?? 1,
      memAllocatedBytes: allocated,
      lct: vm.lct,
      connectedNow: vm.connected_now === 1,
      points,
      displaySpans: displaySpans(store, vm.uuid, from, to, vm.connected_now === 1),
      hostStealPercentP95: vm.host === null ? null : hostSteal(vm.host),
    });
  }
  return out;
}
