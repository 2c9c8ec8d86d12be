import type { VmStateName } from '../../shared/model/engine-events';

const STATE_NAMES: readonly VmStateName[] = [
  'nostate',
  'running',
  'blocked',
  'paused',
  'shutdown',
  'shutoff',
  'crashed',
  'pmsuspended',
];

/** virDomainState code → virsh's short name ('unknown' for a code newer than this list). */
export function vmStateName(code: number): VmStateName {
  return STATE_NAMES[code] ?? 'unknown';
}

/** virsh's short name → virDomainState code; -1 for a name not in the list ('unknown'). */
export function vmStateCode(name: string): number {
  return STATE_NAMES.indexOf(name as VmStateName);
}

/** virDomainState: the guest runs (and so has counters that move). */
export const VM_STATE_RUNNING = 1;
