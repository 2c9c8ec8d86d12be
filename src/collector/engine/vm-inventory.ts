import type { VmInventoryEntry } from '../../shared/model/engine-events';

export type InventoryChange = 'added' | 'updated' | 'gone';

/** What makes an entry differ for consumers: everything but the per-poll lastSeen. */
function significant(entry: VmInventoryEntry): string {
  return JSON.stringify({ ...entry, lastSeen: null });
}

/**
 * How many vanished VMs a host keeps: enough for the console to show what went lately,
 * bounded so that a daemon making new UUIDs all the time does not grow the engine.
 */
export const MAX_GONE_VMS = 256;

/**
 * One host's VMs by UUID. A VM that disappears stays, marked gone, so consumers learn that it
 * went instead of losing track of it; a gone VM that comes back (defined again) is added anew.
 * Past MAX_GONE_VMS, the one gone longest is forgotten.
 */
export class VmInventory {
  private readonly entries = new Map<string, VmInventoryEntry>();
  /** The gone VMs' UUIDs, the one gone longest first. */
  private readonly goneOrder = new Set<string>();

  get(uuid: string): VmInventoryEntry | undefined {
    return this.entries.get(uuid);
  }

  list(): VmInventoryEntry[] {
    return [...this.entries.values()];
  }

  /** The VMs that still exist. */
  present(): VmInventoryEntry[] {
    return this.list().filter((e) => !e.gone);
  }

  /** Stores the fresh view of a VM; returns the change to report, or null when nothing changed. */
  put(entry: VmInventoryEntry): InventoryChange | null {
    const old = this.entries.get(entry.uuid);
    const merged: VmInventoryEntry = {
      ...entry,
      lastSeen: entry.lastSeen ?? old?.lastSeen ?? null,
    };
    this.entries.set(entry.uuid, merged);
    this.noteGone(merged);
    if (!old || (old.gone && !merged.gone)) return merged.gone ? null : 'added';
    if (merged.gone && !old.gone) return 'gone';
    return significant(old) === significant(merged) ? null : 'updated';
  }

  /** Marks a VM gone; returns its entry when that is news. */
  markGone(uuid: string): VmInventoryEntry | null {
    const old = this.entries.get(uuid);
    if (!old || old.gone) return null;
    const gone: VmInventoryEntry = { ...old, gone: true, id: null, connectedNow: false };
    this.entries.set(uuid, gone);
    this.noteGone(gone);
    return gone;
  }

  /** Keeps the order VMs went in, and forgets the oldest past the bound. */
  private noteGone(entry: VmInventoryEntry): void {
    if (!entry.gone) {
      this.goneOrder.delete(entry.uuid);
      return;
    }
    if (this.goneOrder.has(entry.uuid)) return;
    this.goneOrder.add(entry.uuid);
    for (const uuid of this.goneOrder) {
      if (this.goneOrder.size <= MAX_GONE_VMS) break;
      this.goneOrder.delete(uuid);
      this.entries.delete(uuid);
    }
  }

  /** Records that a poll saw the VM (not a change worth reporting). */
  touch(uuid: string, lastSeen: number): void {
    const entry = this.entries.get(uuid);
    if (entry) entry.lastSeen = lastSeen;
  }

  /** Updates the display state; returns the entry when it changed. */
  setDisplay(uuid: string, lct: number | null, connectedNow: boolean): VmInventoryEntry | null {
    const entry = this.entries.get(uuid);
    if (!entry || (entry.lct === lct && entry.connectedNow === connectedNow)) return null;
    entry.lct = lct;
    entry.connectedNow = connectedNow;
    return entry;
  }
}
