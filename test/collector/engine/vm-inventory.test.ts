import { describe, expect, it } from 'vitest';
import type { VmInventoryEntry } from '../../../src/shared/model/engine-events';
import { MAX_GONE_VMS, VmInventory } from '../../../src/collector/engine/vm-inventory';

function entry(overrides: Partial<VmInventoryEntry> = {}): VmInventoryEntry {
  return {
    uuid: '5e7a0b0d-0000-4000-8000-000000000001',
    name: 'vm1',
    id: 3,
    state: 'running',
    stateCode: 1,
    stateReason: 1,
    vcpus: 2,
    maxMemoryBytes: 1 << 30,
    currentMemoryBytes: 1 << 30,
    disks: [],
    nics: [],
    graphics: [{ type: 'vnc', port: 5900 }],
    balloon: { model: 'virtio', statsPeriodSec: 2 },
    autostart: false,
    persistent: true,
    gone: false,
    lastSeen: null,
    lct: null,
    connectedNow: false,
    descriptionError: null,
    ...overrides,
  };
}

describe('VmInventory', () => {
  it('reports added, then updated only when something a consumer sees changed', () => {
    const inv = new VmInventory();
    expect(inv.put(entry())).toBe('added');
    expect(inv.put(entry())).toBeNull();
    expect(inv.put(entry({ lastSeen: 123 }))).toBeNull();
    expect(inv.put(entry({ state: 'paused', stateCode: 3 }))).toBe('updated');
    expect(inv.get(entry().uuid)?.state).toBe('paused');
  });

  it('keeps a vanished VM, marked gone, and reports it once', () => {
    const inv = new VmInventory();
    inv.put(entry());
    const gone = inv.markGone(entry().uuid);
    expect(gone).toMatchObject({ gone: true, id: null, name: 'vm1' });
    expect(inv.markGone(entry().uuid)).toBeNull();
    expect(inv.list()).toHaveLength(1);
    expect(inv.present()).toHaveLength(0);
    expect(inv.markGone('5e7a0b0d-0000-4000-8000-0000000000ff')).toBeNull();
  });

  it('adds a gone VM anew when it comes back', () => {
    const inv = new VmInventory();
    inv.put(entry());
    inv.markGone(entry().uuid);
    expect(inv.put(entry())).toBe('added');
    expect(inv.present()).toHaveLength(1);
  });

  it('keeps lastSeen across a re-read that does not know it', () => {
    const inv = new VmInventory();
    inv.put(entry());
    inv.touch(entry().uuid, 1000);
    inv.put(entry());
    expect(inv.get(entry().uuid)?.lastSeen).toBe(1000);
  });

  it('reports a display change once', () => {
    const inv = new VmInventory();
    inv.put(entry());
    expect(inv.setDisplay(entry().uuid, 5, true)).toMatchObject({ lct: 5, connectedNow: true });
    expect(inv.setDisplay(entry().uuid, 5, true)).toBeNull();
    expect(inv.setDisplay('5e7a0b0d-0000-4000-8000-0000000000ff', 5, true)).toBeNull();
  });

  it('forgets the VMs gone longest once more than MAX_GONE_VMS have gone (UUIDs that rotate)', () => {
    const inv = new VmInventory();
    const uuidOf = (i: number) => `5e7a0b0d-0000-4000-8000-${String(i).padStart(12, '0')}`;
    inv.put(entry({ uuid: uuidOf(999_999), name: 'stays' }));
    for (let i = 0; i < MAX_GONE_VMS * 4; i++) {
      inv.put(entry({ uuid: uuidOf(i), name: `vm${i}` }));
      inv.markGone(uuidOf(i));
    }
    expect(inv.list()).toHaveLength(MAX_GONE_VMS + 1);
    expect(inv.present().map((e) => e.name)).toEqual(['stays']);
    expect(inv.get(uuidOf(0))).toBeUndefined();
    expect(inv.get(uuidOf(MAX_GONE_VMS * 4 - 1))?.gone).toBe(true);
  });

  it('does not count a gone VM that came back', () => {
    const inv = new VmInventory();
    inv.put(entry());
    inv.markGone(entry().uuid);
    expect(inv.put(entry())).toBe('added');
    for (let i = 0; i < MAX_GONE_VMS + 5; i++) {
      const uuid = `5e7a0b0d-0000-4000-9000-${String(i).padStart(12, '0')}`;
      inv.put(entry({ uuid, gone: true }));
    }
    expect(inv.get(entry().uuid)?.gone).toBe(false);
  });
});
