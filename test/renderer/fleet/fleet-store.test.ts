import { describe, expect, it, vi } from 'vitest';
import { FleetStore } from '../../../src/renderer/fleet/fleet-store';
import { TREND_MS } from '../../../src/renderer/fleet/host-trend';
import { desktopsOncePerMachine, sameMachines } from '../../../src/renderer/fleet/same-machine';
import type { ContractClient } from '../../../src/shared/contract/browser';
import type { HostStatus } from '../../../src/shared/model/engine-events';
import type { LibvirtFacts } from '../../../src/shared/model/libvirt-facts';
import { desktop } from '../desktops/desktop-factory';

const up: HostStatus = {
  status: 'up',
  reason: null,
  procError: null,
  libvirtError: null,
  retryAt: null,
  failedAttempts: 0,
};

/** A client whose events the test pushes, and whose watched topics it reads. */
function fakeClient(inventory: unknown[]) {
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const watched = new Map<string, number>();
  let inventoryReads = 0;
  const client = {
    request: (name: string) => {
      if (name === 'inventory') {
        inventoryReads++;
        return Promise.resolve(inventory);
      }
      return Promise.resolve({ resolution: 'raw', bucketMs: 0, points: [] });
    },
    subscribe: (name: string, listener: (payload: unknown) => void) => {
      const set = listeners.get(name) ?? new Set();
      listeners.set(name, set.add(listener));
      return () => set.delete(listener);
    },
    watch: (topic: string) => {
      watched.set(topic, (watched.get(topic) ?? 0) + 1);
      return () => watched.set(topic, (watched.get(topic) ?? 1) - 1);
    },
  } as unknown as ContractClient;
  const emit = (name: string, payload: unknown) => {
    for (const listener of listeners.get(name) ?? []) listener(payload);
  };
  const topics = () =>
    [...watched]
      .filter(([, n]) => n > 0)
      .map(([topic]) => topic)
      .sort();
  return { client, emit, topics, reads: () => inventoryReads };
}

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));
const figures = (ts: number, cpu: number) => ({
  ts,
  cpuPercent: cpu,
  memUsedPercent: 40,
  diskReadBytesPerSec: 1,
  diskWriteBytesPerSec: 2,
  netRxBytesPerSec: 3,
  netTxBytesPerSec: null,
  diskBytesPerSec: 3,
  netBytesPerSec: null,
});

/** One poll of a host with one running VM, for the overview. */
const pollOf = (hostId: string, ts: number) => ({
  hostId,
  status: up,
  figures: figures(ts, 5),
  vms: { running: 1, total: 1, allocatedVcpus: 1, allocatedMemoryBytes: 1, displaysConnected: 0 },
});

const identity = {
  hostname: 'kvm-a',
  primaryIp: '192.0.2.7',
  cpuCount: 8,
  cpuModel: null,
  memoryTotalBytes: 8e9,
  kernelRelease: null,
};

const libvirtFacts: LibvirtFacts = {
  hostname: 'kvm',
  libvirtVersion: '9.0.0',
  hypervisorVersion: '7.2.0',
  hostUuid: '1b2c3d4e-0000-4000-8000-00000000f001',
};

function inventoryHost(
  name: string,
  vms = [desktop(1, { host: name })],
  known: typeof identity | null = identity,
  libvirt: LibvirtFacts | null = libvirtFacts,
) {
  return {
    id: name,
    source: 'local',
    name,
    status: up,
    identity: known,
    libvirt,
    figures: null,
    vms,
  };
}

describe('FleetStore', () => {
  it('watches the overview while read, and each host only while desktops are wanted', async () => {
    const fake = fakeClient([inventoryHost('a'), inventoryHost('b')]);
    const store = new FleetStore(fake.client, (run) => run());
    expect(fake.topics()).toEqual([]);
    const stop = store.subscribe(() => {});
    await flush();
    expect(fake.topics()).toEqual(['overview']);
    const stopDesktops = store.watchDesktops();
    expect(fake.topics()).toEqual(['host:a', 'host:b', 'overview']);
    stopDesktops();
    expect(fake.topics()).toEqual(['overview']);
    stop();
    expect(fake.topics()).toEqual([]);
  });

  it('keeps 5 minutes of each host in its trend, and reads the inventory for a host it did not know', async () => {
    const fake = fakeClient([inventoryHost('a')]);
    const store = new FleetStore(fake.client, (run) => run());
    store.subscribe(() => {});
    await flush();
    const t0 = Date.UTC(2026, 11, 2, 5, 0, 0);
    for (let i = 0; i <= 400; i++) {
      fake.emit('host.poll', {
        hostId: 'a',
        status: up,
        figures: figures(t0 + i * 1000, i),
        vms: {},
      });
    }
    const snapshot = store.getSnapshot();
    if (snapshot.state !== 'ready') throw new Error(snapshot.state);
    const trend = snapshot.hosts[0]!.trend;
    expect(trend.ts[0]).toBe(t0 + 400_000 - TREND_MS);
    expect(trend.ts.at(-1)).toBe(t0 + 400_000);
    expect(trend.cpuPercent.at(-1)).toBe(400);
    expect(trend.diskBytesPerSec.at(-1)).toBe(3);
    // rx known, tx not: their sum is not known either.
    expect(trend.netBytesPerSec.at(-1)).toBeNull();
    expect(fake.reads()).toBe(1);
    fake.emit('host.poll', { hostId: 'new-one', status: up, figures: null, vms: {} });
    expect(fake.reads()).toBe(2);
  });

  it('applies per-VM figures, display changes and removals to the desktops', async () => {
    const fake = fakeClient([
      inventoryHost('a', [desktop(1, { host: 'a' }), desktop(2, { host: 'a' })]),
    ]);
    const store = new FleetStore(fake.client, (run) => run());
    store.subscribe(() => {});
    await flush();
    const uuid = desktop(1).uuid;
    fake.emit('host.detail', {
      hostId: 'a',
      sample: null,
      vms: [
        {
          uuid,
          name: 'desk-01',
          state: 'paused',
          figures: { ...desktop(1).figures!, cpuHostPercent: 99 },
        },
      ],
    });
    fake.emit('vm.display', {
      hostId: 'a',
      uuid,
      name: 'desk-01',
      display: {
        kind: 'display',
        phase: 'connect',
        address: '10.0.0.9',
        service: '5000',
        lct: 123,
        connectedNow: true,
      },
    });
    fake.emit('inventory.changed', { hostId: 'a', change: 'gone', vm: desktop(2, { host: 'a' }) });
    const snapshot = store.getSnapshot();
    if (snapshot.state !== 'ready') throw new Error(snapshot.state);
    expect(snapshot.desktops).toHaveLength(1);
    expect(snapshot.desktops[0]).toMatchObject({
      uuid,
      state: 'paused',
      lct: 123,
      connectedNow: true,
      figures: { cpuHostPercent: 99 },
    });
  });

  it('carries each daemon’s host UUID from the inventory: one machine saved twice is found and its desktops counted once', async () => {
    const vms = (name: string) => [desktop(1, { host: name }), desktop(2, { host: name })];
    const elsewhere = { ...libvirtFacts, hostUuid: '1b2c3d4e-0000-4000-8000-00000000f002' };
    const fake = fakeClient([
      inventoryHost('local', vms('local')),
      inventoryHost('lab', vms('lab'), identity, elsewhere),
      inventoryHost('kvm-ssh', vms('kvm-ssh')),
    ]);
    const store = new FleetStore(fake.client, (run) => run());
    store.subscribe(() => {});
    await flush();
    const snapshot = store.getSnapshot();
    if (snapshot.state !== 'ready') throw new Error(snapshot.state);
    expect(sameMachines(snapshot.hosts)).toEqual([
      { hostUuid: libvirtFacts.hostUuid, hosts: ['local', 'kvm-ssh'] },
    ]);
    expect(snapshot.desktops).toHaveLength(6);
    expect(desktopsOncePerMachine(snapshot.desktops, snapshot.hosts).map((vm) => vm.host)).toEqual([
      'local',
      'local',
      'lab',
      'lab',
    ]);
  });

  it("seeds each host's sparklines from the history after the rows, four reads at a time", async () => {
    const names = Array.from({ length: 10 }, (_, i) => `h${i}`);
    const fake = fakeClient(names.map((name) => inventoryHost(name, [])));
    let inFlight = 0;
    let most = 0;
    const asked: string[] = [];
    const request = fake.client.request.bind(fake.client);
    (fake.client as { request: unknown }).request = (name: string, params: unknown) => {
      if (name !== 'history') return request(name as 'inventory');
      const host = (params as { entity: { id: string } }).entity.id;
      asked.push(host);
      most = Math.max(most, ++inFlight);
      return new Promise((resolve) =>
        setTimeout(() => {
          inFlight--;
          resolve({
            resolution: 'raw',
            bucketMs: 1000,
            points: [1000, 2000].map((ts) => ({
              ts,
              n: 1,
              values: { cpuPercent: { min: 7, avg: 7, max: 7 } },
            })),
          });
        }, 5),
      );
    };
    const store = new FleetStore(fake.client, (run) => run());
    const stop = store.subscribe(() => {});
    await vi.waitFor(() => expect(asked).toHaveLength(10), { timeout: 2000 });
    await vi.waitFor(() => expect(inFlight).toBe(0));
    expect(most).toBe(4);
    expect([...asked].sort()).toEqual([...names].sort());
    const snapshot = store.getSnapshot();
    if (snapshot.state !== 'ready') throw new Error('not ready');
    for (const host of snapshot.hosts) expect(host.trend.cpuPercent).toEqual([7, 7]);
    stop();
  });

  it.each([
    ['its identity', inventoryHost('a', undefined, null)],
    ['its libvirt versions', inventoryHost('a', undefined, identity, null)],
  ])(
    'reads the inventory again for a host that came up without %s, not at every poll',
    async (_, before) => {
      const first = [before];
      const fake = fakeClient(first);
      const store = new FleetStore(fake.client, (run) => run());
      const stop = store.subscribe(() => {});
      await flush();
      expect(fake.reads()).toBe(1);
      first[0] = inventoryHost('a');
      const poll = (ts: number) => fake.emit('host.poll', pollOf('a', ts));
      poll(1000);
      await flush();
      expect(fake.reads()).toBe(2);
      const snapshot = store.getSnapshot();
      if (snapshot.state !== 'ready') throw new Error('not ready');
      expect(snapshot.hosts[0]?.identity?.cpuCount).toBe(8);
      expect(snapshot.hosts[0]?.libvirt?.libvirtVersion).toBe('9.0.0');
      poll(2000);
      poll(3000);
      await flush();
      expect(fake.reads()).toBe(2);
      stop();
    },
  );

  it('does not read the inventory again for a central host: it has no libvirt to wait for', async () => {
    const fake = fakeClient([
      { ...inventoryHost('a', undefined, identity, null), source: 'central' },
    ]);
    const store = new FleetStore(fake.client, (run) => run());
    const stop = store.subscribe(() => {});
    await flush();
    for (const ts of [1000, 2000, 3000]) fake.emit('host.poll', pollOf('a', ts));
    await flush();
    expect(fake.reads()).toBe(1);
    const snapshot = store.getSnapshot();
    if (snapshot.state !== 'ready') throw new Error('not ready');
    expect(snapshot.hosts[0]).toMatchObject({ source: 'central', figures: { ts: 3000 } });
    stop();
  });
});
