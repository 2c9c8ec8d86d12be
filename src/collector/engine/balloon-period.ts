import type { VmInventoryEntry } from '../../shared/model/engine-events';
import { VM_STATE_RUNNING } from './vm-state';

/**
 * Which domains the memory stats period is set on. Guests report memory only with a period, so
 * it is set, once per run of a domain, where a running domain's virtio balloon has none.
 */
export class BalloonPeriod {
  private readonly claimed = new Set<string>();

  /** periodSec: what to set, s; 0 never changes a domain. */
  constructor(readonly periodSec: number) {}

  /** Whether the period is to be set on this domain now; a true answer is given once. */
  claim(entry: VmInventoryEntry): boolean {
    const balloon = entry.balloon;
    if (
      this.periodSec <= 0 ||
      entry.stateCode !== VM_STATE_RUNNING ||
      balloon?.model !== 'virtio' ||
      (balloon.statsPeriodSec ?? 0) > 0 ||
      this.claimed.has(entry.uuid)
    ) {
      return false;
    }
    this.claimed.add(entry.uuid);
    return true;
  }

  /** The domain started, stopped or went: a new run needs the period again. */
  forget(uuid: string): void {
    this.claimed.delete(uuid);
  }
}
