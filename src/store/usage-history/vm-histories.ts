import type { VmHistory, VmUsagePoint } from '../../shared/model/usage-history';
import type { Statement } from 'better-sqlite3';
import type { Store } from '../store';
import { vmMetrics } from '../metrics';
import type { MetricDef } from '../metrics';
import { minuteRange } from './minute-range';
import { sumKnown } from '../../shared/model/sum-known';
import type { VmMetricName } from '../../shared/model/metric-names';
import type { HistoryResult } from '../../shared/contract/requests';
import { minuteAverages } from './minute-averages';

interface VmRow {
  id: number;
  uuid: string;
  name: string;
  vcpus: number | null;
  lct: number | null;
  connected_now: number;
  /** The host's name as people know it (its label, else its hostname). */
  host: string | null;
  hostKey: string | null;
}

/** The metrics a VM's minutes are read with for the analysis (usagePointOf's). */
export const analysisVmMetrics: VmMetricName[] = [
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

const scaleOf = (name: VmMetricName): number =>
  (vmMetrics.find((m) => m.name === name) as MetricDef<never>).scale;
const columnOf = (name: VmMetricName): string =>
  (vmMetrics.find((m) => m.name === name) as MetricDef<never>).column;

/** One VM's minute rollups, as rows in the order rollupPoints reads them. */
const rollupSql = `SELECT bucket, ${(
  [
    ['cpuGuestPercent', 'avg'],
    ['memGuestUsedBytes', 'max'],
    ['memGuestTotalBytes', 'avg'],
    ['memAllocatedBytes', 'avg'],
    ['memAllocatedBytes', 'max'],
    ['diskReadBytesPerSec', 'avg'],
    ['diskWriteBytesPerSec', 'avg'],
    ['netRxBytesPerSec', 'avg'],
    ['netTxBytesPerSec', 'avg'],
    ['memSwapInBytesPerSec', 'avg'],
    ['memMajorFaultsPerSec', 'avg'],
  ] satisfies [VmMetricName, 'avg' | 'max'][]
)
  .map(([name, agg]) => `${columnOf(name)}_${agg}`)
  .join(', ')}
  FROM vm_rollup_1m WHERE vm_id = ? AND bucket >= ? AND bucket < ? AND n > 0 ORDER BY bucket`;

const scales = {
  cpu: scaleOf('cpuGuestPercent'),
  memory: scaleOf('memGuestUsedBytes'),
  disk: scaleOf('diskReadBytesPerSec'),
  net: scaleOf('netRxBytesPerSec'),
  swapIn: scaleOf('memSwapInBytesPerSec'),
  faults: scaleOf('memMajorFaultsPerSec'),
};

/**
 * A VM's rolled-up minutes in [from, until) as points, straight from the rows: a week
 * is 10,080 of them, and the analysis of a fleet reads thousands of weeks.
 */
function rollupPoints(
  rows: Statement,
  vmId: number,
  from: number,
  until: number,
): { points: VmUsagePoint[]; allocated: number | null } {
  const points: VmUsagePoint[] = [];
  let allocated: number | null = null;
  if (until <= from) return { points, allocated };
  const of = (v: unknown, scale: number): number | null =>
    typeof v === 'number' ? v / scale : null;
  for (const r of rows.iterate(vmId, from, until) as Iterable<unknown[]>) {
    const allocationMax = of(r[5], scales.memory);
    if (allocationMax !== null) allocated = allocationMax;
    points.push({
      ts: r[0] as number,
      cpuGuestPercent: of(r[1], scales.cpu),
      memGuestUsedMaxBytes: of(r[2], scales.memory),
      memGuestTotalBytes: of(r[3], scales.memory),
      memAllocatedBytes: of(r[4], scales.memory),
      diskBytesPerSec: sumKnown(of(r[6], scales.disk), of(r[7], scales.disk)),
      netBytesPerSec: sumKnown(of(r[8], scales.net), of(r[9], scales.net)),
      swapInBytesPerSec: of(r[10], scales.swapIn),
      majorFaultsPerSec: of(r[11], scales.faults),
    });
  }
  return { points, allocated };
}

/**
 * One minute of a VM read with analysisVmMetrics (min/avg/max of its samples) as the
 * analysis' point: this console's history and the central tables' give the same.
 */
export function usagePointOf(point: HistoryResult['points'][number]): VmUsagePoint {
  const v = point.values;
  return {
    ts: point.ts,
    cpuGuestPercent: v['cpuGuestPercent']?.avg ?? null,
    memGuestUsedMaxBytes: v['memGuestUsedBytes']?.max ?? null,
    memGuestTotalBytes: v['memGuestTotalBytes']?.avg ?? null,
    memAllocatedBytes: v['memAllocatedBytes']?.avg ?? null,
    diskBytesPerSec: sumKnown(v['diskReadBytesPerSec']?.avg, v['diskWriteBytesPerSec']?.avg),
    netBytesPerSec: sumKnown(v['netRxBytesPerSec']?.avg, v['netTxBytesPerSec']?.avg),
    swapInBytesPerSec: v['memSwapInBytesPerSec']?.avg ?? null,
    majorFaultsPerSec: v['memMajorFaultsPerSec']?.avg ?? null,
  };
}

/** A host's minute averages of CPU steal % in [from, to). */
function hostStealMinutes(store: Store, hostKey: string, from: number, to: number): number[] {
  const range = minuteRange(store, { kind: 'host', key: hostKey }, ['cpuStealPercent'], from, to);
  return minuteAverages(range, 'cpuStealPercent');
}

/** What the analysis makes of a host's minutes of CPU steal (its p95); null: no figure. */
export type StealSummary = (minutes: number[]) => number | null;

/**
 * Every VM with history in [from, to), as the analysis reads it: minute averages of its
 * guest CPU, disk and network, each minute's highest guest-used memory, its allocation,
 * last connect and display spans. VMs without a sample in the window are left out.
 */
export function readVmHistories(
  store: Store,
  from: number,
  to: number,
  summariseSteal: StealSummary,
): VmHistory[] {
  return [...eachVmHistory(store, from, to, summariseSteal)];
}

/**
 * The same, one VM at a time: a fleet's week of minutes (10 M points for 1,000 VMs)
 * need not be in memory at once when each VM is analysed as it is read.
 */
export function* eachVmHistory(
  store: Store,
  from: number,
  to: number,
  summariseSteal: StealSummary,
): Generator<VmHistory> {
  const vms = store.db
    .prepare(
      `SELECT v.id, v.uuid, v.name, v.vcpus, v.lct, v.connected_now,
         coalesce(h.label, h.name) AS host, h.key AS hostKey
       FROM vms v LEFT JOIN hosts h ON h.id = v.host_id ORDER BY v.name, v.uuid`,
    )
    .all() as VmRow[];
  const steals = new Map<string, number | null>();
  // Read once per host: its VMs share the figure.
  const hostSteal = (hostKey: string): number | null => {
    if (!steals.has(hostKey)) {
      steals.set(hostKey, summariseSteal(hostStealMinutes(store, hostKey, from, to)));
    }
    return steals.get(hostKey) ?? null;
  };
  // The rolled-up minutes are read as rows; only the newest, not rolled up yet, through
  // the range query (which groups raw samples by minute).
  const rolledUntil = Math.max(from, Math.min(to, store.minutesRolledUntil('vm') ?? from));
  const rollups = store.db.prepare(rollupSql).raw();
  for (const vm of vms) {
    const rolled = rollupPoints(rollups, vm.id, from, rolledUntil);
    const points = rolled.points;
    let allocated = rolled.allocated;
    if (rolledUntil < to) {
      const range = minuteRange(
        store,
        { kind: 'vm', uuid: vm.uuid },
        analysisVmMetrics,
        rolledUntil,
        to,
      );
      for (const point of range.points) {
        if (point.n === 0) continue;
        allocated = point.values['memAllocatedBytes']?.max ?? allocated;
        points.push(usagePointOf(point));
      }
    }
    if (points.length === 0) continue;
    yield {
      uuid: vm.uuid,
      name: vm.name,
      host: vm.host ?? '',
      vcpus: vm.vcpus ?? 1,
      memAllocatedBytes: allocated ?? null,
      lct: vm.lct,
      connectedNow: vm.connected_now === 1,
      points,
      displaySpans: displaySpans(store, vm.uuid, from, to, vm.connected_now === 1),
      hostStealPercentP95: vm.hostKey === null ? null : hostSteal(vm.hostKey),
    };
  }
}
