import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Store } from '../../src/store/store';
import { recentHostEvents, recentVmEvents } from '../../src/store/vm-events-query';
import { vmUuid } from './sample-factory';
import { tempDir } from './temp-db';

describe('recent events (real SQLite file)', () => {
  let tmp: ReturnType<typeof tempDir>;
  let store: Store;
  const now = Date.UTC(2026, 11, 2, 9, 0, 0);

  beforeEach(() => {
    tmp = tempDir();
    store = Store.open({ path: tmp.file('events.db'), now: () => now });
    const vm = (n: number, host: string) => ({
      type: 'vm-inventory' as const,
      host,
      uuid: vmUuid(n),
      name: `desk-${n}`,
      state: 'running' as const,
      ts: now - 60_000,
    });
    const event = (
      n: number,
      ts: number,
      kind: 'lifecycle' | 'display-connect',
      detail: string,
    ) => ({
      type: 'vm-event' as const,
      uuid: vmUuid(n),
      ts,
      kind,
      detail,
    });
    store.upsertHost({ name: 'kvm-a', ip: null, cores: 8, memoryBytes: 8e9 });
    store.upsertHost({ name: 'kvm-b', ip: null, cores: 8, memoryBytes: 8e9 });
    store.ingest([
      vm(1, 'kvm-a'),
      vm(2, 'kvm-a'),
      vm(3, 'kvm-b'),
      event(1, now - 30_000, 'lifecycle', 'started'),
      event(2, now - 20_000, 'display-connect', '10.0.0.7'),
      event(3, now - 10_000, 'display-connect', '10.0.0.9'),
      event(1, now - 5_000, 'display-connect', '10.0.0.5'),
    ]);
  });
  afterEach(() => {
    store.close();
    tmp.remove();
  });

  it("gives a VM's events newest first, at most the limit", () => {
    expect(recentVmEvents(store.db, vmUuid(1), 10)).toEqual([
      { ts: now - 5_000, kind: 'display-connect', detail: '10.0.0.5' },
      { ts: now - 30_000, kind: 'lifecycle', detail: 'started' },
    ]);
    expect(recentVmEvents(store.db, vmUuid(1), 1)).toHaveLength(1);
  });

  it("gives a host's events of its own VMs only, each with which VM", () => {
    expect(recentHostEvents(store.db, 'kvm-a', 10)).toEqual([
      {
        ts: now - 5_000,
        kind: 'display-connect',
        detail: '10.0.0.5',
        vmUuid: vmUuid(1),
        vmName: 'desk-1',
      },
      {
        ts: now - 20_000,
        kind: 'display-connect',
        detail: '10.0.0.7',
        vmUuid: vmUuid(2),
        vmName: 'desk-2',
      },
      {
        ts: now - 30_000,
        kind: 'lifecycle',
        detail: 'started',
        vmUuid: vmUuid(1),
        vmName: 'desk-1',
      },
    ]);
    expect(recentHostEvents(store.db, 'kvm-b', 10).map((e) => e.vmName)).toEqual(['desk-3']);
    expect(recentHostEvents(store.db, 'kvm-unknown', 10)).toEqual([]);
  });
});
