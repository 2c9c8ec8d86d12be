import { describe, expect, it } from 'vitest';
import type { VmInventoryEntry } from '../../../src/shared/model/engine-events';
import { VmInventory } from '../../../src/collector/engine/vm-inventory';
import { VmSampler, type VmSampleContext } from '../../../src/collector/engine/vm-sampler';
import type { DomainRef } from '../../../src/collector/libvirt/remote-types';
import { TypedParams } from '../../../src/collector/libvirt/typed-params';
import { DisplayTracker } from '../../../src/collector/vm/display-tracker';
import { statsFixture, statsTiming } from '../vm/bed-fixtures';

const first = statsFixture('stats-1.json');
const second = statsFixture('stats-2.json');
const [t1, t2] = statsTiming.readingsMs;

function running(domain: DomainRef): VmInventoryEntry {
  return {
    uuid: domain.uuid,
    name: domain.name,
    id: domain.id,
    state: 'running',
    stateCode: 1,
    stateReason: 1,
    vcpus: 1,
    maxMemoryBytes: null,
    currentMemoryBytes: null,
    disks: [],
    nics: [],
    graphics: [],
    balloon: null,
    autostart: null,
    persistent: null,
    gone: false,
    lastSeen: null,
    lct: null,
    connectedNow: false,
    descriptionError: null,
  };
}

function context(inventory: VmInventory): VmSampleContext & {
  refreshed: string[];
  warnings: string[];
} {
  const refreshed: string[] = [];
  const warnings: string[] = [];
  return {
    hostName: 'bed',
    hostCpus: statsTiming.hostCpus,
    inventory,
    display: new DisplayTracker(),
    refresh: (d) => refreshed.push(d.name),
    warn: (m) => warnings.push(m),
    refreshed,
    warnings,
  };
}

describe('VmSampler', () => {
  it('samples each domain from its second reading on, with the poll time as lastSeen', () => {
    const inventory = new VmInventory();
    for (const r of first) inventory.put(running(r.domain));
    const sampler = new VmSampler();
    const ctx = context(inventory);
    expect(sampler.sample(first, t1, 1_000, ctx)).toEqual([]);
    const samples = sampler.sample(second, t2, 4_000, ctx);
    expect(samples.map((s) => s.name).sort()).toEqual(first.map((r) => r.domain.name).sort());
    const cpu = samples.find((s) => s.name === 'bed-cpu');
    expect(cpu).toMatchObject({ host: 'bed', state: 'running', lastSeen: 4_000, ts: 4_000 });
    expect(cpu?.cpu.guestPercent).toBeGreaterThan(80);
    expect(inventory.get(first[0]!.domain.uuid)?.lastSeen).toBe(4_000);
    expect(ctx.refreshed).toEqual([]);
  });

  it('asks to re-read what the inventory has wrong: unknown, other state, missing from the reply', () => {
    const inventory = new VmInventory();
    const [a, b, c] = first.map((r) => r.domain);
    inventory.put({ ...running(a!), state: 'paused', stateCode: 3 });
    inventory.put(running(b!));
    const absent: DomainRef = {
      name: 'absent',
      uuid: '5e7a0b0d-0000-4000-8000-00000000d001',
      id: 9,
    };
    inventory.put(running(absent));
    const ctx = context(inventory);
    new VmSampler().sample(first.slice(0, 3), t1, 1_000, ctx);
    expect(ctx.refreshed.sort()).toEqual([a!.name, c!.name, 'absent'].sort());
  });

  it('skips a record it cannot read, saying why, and starts again after forget', () => {
    const inventory = new VmInventory();
    for (const r of first) inventory.put(running(r.domain));
    const sampler = new VmSampler();
    const ctx = context(inventory);
    const bad = { ...first[0]!, params: TypedParams.fromObject({ 'cpu.time': 'soon' }) };
    sampler.sample([bad, ...first.slice(1)], t1, 1_000, ctx);
    expect(ctx.warnings).toEqual([expect.stringMatching(/cpu\.time is a string/)]);
    sampler.forget(first[1]!.domain.uuid);
    const samples = sampler.sample(second, t2, 4_000, ctx);
    expect(samples.map((s) => s.uuid).sort()).toEqual(
      first
        .slice(2)
        .map((r) => r.domain.uuid)
        .sort(),
    );
  });
});
