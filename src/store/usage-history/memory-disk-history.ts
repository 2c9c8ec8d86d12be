import type { HistoryResult } from '../../shared/contract/requests';
import type { MemoryDiskPoint } from '../../shared/model/usage-history';
import type { VmMetricName } from '../../shared/model/metric-names';
import type { EntityRef } from '../entity-ref';
import type { Store } from '../store';
import { minuteRange } from './minute-range';

/** The metrics a VM's minutes are read with for the memory-vs-disk table. */
export const memoryDiskMetrics: VmMetricName[] = [
  'memAllocatedBytes',
  'diskReadBytesPerSec',
  'diskWriteBytesPerSec',
  'diskReadIops',
  'memGuestUsedBytes',
];

/** A VM's minutes read with memoryDiskMetrics as the table's points (either history's). */
export function memoryDiskPoints(range: HistoryResult): MemoryDiskPoint[] {
  return range.points
    .filter((p) => p.n > 0)
    .map((p) => ({
      ts: p.ts,
      // The smallest of the minute: a resize mid-minute counts from the next one.
      allocatedBytes: p.values['memAllocatedBytes']?.min ?? null,
      readBytesPerSec: p.values['diskReadBytesPerSec']?.avg ?? null,
      writeBytesPerSec: p.values['diskWriteBytesPerSec']?.avg ?? null,
      readIops: p.values['diskReadIops']?.avg ?? null,
      guestUsedBytes: p.values['memGuestUsedBytes']?.avg ?? null,
    }));
}

/** A VM's minutes in [from, to) as the memory-vs-disk table reads them. */
export function readMemoryDiskHistory(
  store: Store,
  vm: Extract<EntityRef, { kind: 'vm' }>,
  from: number,
  to: number,
): MemoryDiskPoint[] {
  return memoryDiskPoints(minuteRange(store, vm, memoryDiskMetrics, from, to));
}
