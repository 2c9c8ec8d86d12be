import { describe, expect, it } from 'vitest';
import { BalloonPeriod } from '../../../src/collector/engine/balloon-period';
import type { VmInventoryEntry } from '../../../src/shared/model/engine-events';

function entry(overrides: Partial<VmInventoryEntry>): VmInventoryEntry {
  return {
    uuid: '5e7a0b0d-0000-4000-8000-00000000c001',
    name: 'desk',
    id: 1,
    state: 'running',
    stateCode: 1,
    stateReason: 1,
    vcpus: 1,
    maxMemoryBytes: null,
    currentMemoryBytes: null,
    disks: [],
    nics: [],
    graphics: [],
    balloon: { model: 'virtio', statsPeriodSec: null },
    autostart: null,
    persistent: null,
    gone: false,
    lastSeen: null,
    lct: null,
    connectedNow: false,
    descriptionError: null,
    ...overrides,
  };
}

describe('BalloonPeriod', () => {
  it('claims a running virtio balloon without a period once, again after forget', () => {
    const period = new BalloonPeriod(2);
    const vm = entry({});
    expect(period.claim(vm)).toBe(true);
    expect(period.claim(vm)).toBe(false);
    period.forget(vm.uuid);
    expect(period.claim(vm)).toBe(true);
  });

  it('leaves alone a paused domain, one without a virtio balloon, one with a period', () => {
    const period = new BalloonPeriod(2);
    expect(period.claim(entry({ state: 'paused', stateCode: 3 }))).toBe(false);
    expect(period.claim(entry({ balloon: null }))).toBe(false);
    expect(period.claim(entry({ balloon: { model: 'none', statsPeriodSec: null } }))).toBe(false);
    expect(period.claim(entry({ balloon: { model: 'virtio', statsPeriodSec: 5 } }))).toBe(false);
  });

  it('changes nothing when the period is 0', () => {
    expect(new BalloonPeriod(0).claim(entry({}))).toBe(false);
  });
});
