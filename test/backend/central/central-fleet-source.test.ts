import { describe, expect, it } from 'vitest';
import { CentralFleetSource } from '../../../src/backend/central/central-fleet-source';
import type { FleetReader, LocalHostRef } from '../../../src/backend/central/central-fleet-source';
import type {
  CentralFleetChange,
  CentralHost,
  CentralVm,
} from '../../../src/store/mysql/central-fleet-reader';

const T = Date.UTC(2026, 11, 7, 12, 0, 0);

const host = (
  key: string,
  tsMs: number | null,
  change: Partial<CentralHost> = {},
): CentralHost => ({
  hostKey: key,
  hostIp: `192.0.2.${key.length}`,
  hostName: key,
  hostLabel: null,
  runningVms: 1,
  cpuCores: 8,
  memoryBytes: 16 * 2 ** 30,
  latest:
    tsMs === null
      ? null
      : { tsMs, cpuPercent: 10, memoryPercent: 20, diskBytesPerSec: 30, networkBytesPerSec: null },
  updatedAtMs: tsMs ?? T,
  ...change,
});

const vm = (uuid: string, hostKey: string, change: Partial<CentralVm> = {}): CentralVm => ({
  uuid,
  hostKey,
  name: `desk-${uuid.slice(0, 4)}`,
  state: 'running',
  connectedNow: false,
  vcpus: 2,
  lctMs: null,
  lastSeenMs: T,
  latest: {
    tsMs: T,
    cpuPercent: 5,
    memoryPercent: null,
    diskBytesPerSec: null,
    networkBytesPerSec: 7,
  },
  updatedAtMs: T,
  ...change,
});

const UUID_A = 'aaaaaaaa-0000-4000-8000-000000000001';

/** A source over scripted refreshes, its clock and what it published. */
function harness(steps: Partial<CentralFleetChange>[], local: LocalHostRef[] = []) {
  const queue = [...steps];
  const reader: FleetReader = {
    refresh: () => {
      const next = queue.shift() ?? {};
      return Promise.resolve({
        hosts: { changed: [], gone: [] },
        vms: { changed: [], gone: [] },
        rejected: [],
        node: '127.0.0.1:3306',
        ...next,
      });
    },
    close: () => {},
    failovers: 0,
  };
  const clock = { now: T };
  const events: { name: string; payload: unknown }[] = [];
  const source = new CentralFleetSource({
    reader,
    events: { publish: (name, payload) => events.push({ name, payload }), wants: () => true },
    localHosts: () => local,
    staleAfterMs: 60_000,
    now: () => clock.now,
  });
  return { source, clock, events };
}

describe('CentralFleetSource', () => {
  it('names a host by the label its admin gave it, by its hostname without one', async () => {
    const { source } = harness([
      {
        hosts: {
          changed: [
            host('id-1', T, { hostName: 'vm', hostLabel: 'rack 4 libvirt' }),
            host('id-2', T, { hostName: 'vm', hostLabel: 'lab fleet over ssh' }),
            host('id-3', T, { hostName: 'kvm-07' }),
          ],
          gone: [],
        },
      },
    ]);
    await source.refreshNow();
    expect(source.inventory().map((h) => [h.id, h.name, h.identity?.hostname])).toEqual([
      ['id-1', 'rack 4 libvirt', 'vm'],
      ['id-2', 'lab fleet over ssh', 'vm'],
      ['id-3', 'kvm-07', 'kvm-07'],
    ]);
  });

  it('a VM that moved between hosts is gone from the one it left and added to the other', async () => {
    const { source, events } = harness([
      {
        hosts: { changed: [host('kvm-a', T), host('kvm-b', T)], gone: [] },
        vms: { changed: [vm(UUID_A, 'kvm-a')], gone: [] },
      },
      { vms: { changed: [vm(UUID_A, 'kvm-b')], gone: [] } },
    ]);
    await source.refreshNow();
    events.length = 0;
    await source.refreshNow();
    const changes = events
      .filter((e) => e.name === 'inventory.changed')
      .map((e) => e.payload as { hostId: string; change: string });
    expect(changes.map((c) => [c.hostId, c.change])).toEqual([
      ['kvm-a', 'gone'],
      ['kvm-b', 'added'],
    ]);
    const byHost = Object.fromEntries(
      source.inventory().map((h) => [h.id, h.vms.map((v) => v.uuid)]),
    );
    expect(byHost).toEqual({ 'kvm-a': [], 'kvm-b': [UUID_A] });
  });

  it('tells the pages of new figures through host.detail, of a new state through inventory.changed', async () => {
    const later = {
      tsMs: T + 2000,
      cpuPercent: 50,
      memoryPercent: 1,
      diskBytesPerSec: 2,
      networkBytesPerSec: 3,
    };
    const { source, events } = harness([
      {
        hosts: { changed: [host('kvm-a', T)], gone: [] },
        vms: { changed: [vm(UUID_A, 'kvm-a')], gone: [] },
      },
      {
        vms: { changed: [vm(UUID_A, 'kvm-a', { latest: later, lastSeenMs: T + 2000 })], gone: [] },
      },
      { vms: { changed: [vm(UUID_A, 'kvm-a', { latest: later, state: 'paused' })], gone: [] } },
    ]);
    await source.refreshNow();
    events.length = 0;
    await source.refreshNow();
    expect(events.map((e) => e.name)).toEqual(['host.poll', 'host.detail']);
    expect(events[1]?.payload).toMatchObject({
      vms: [{ uuid: UUID_A, figures: { cpuHostPercent: 50 } }],
    });
    events.length = 0;
    await source.refreshNow();
    expect(events.map((e) => e.name)).toEqual(['inventory.changed', 'host.poll', 'host.detail']);
    expect(events[0]?.payload).toMatchObject({ change: 'updated', vm: { state: 'paused' } });
  });

  it('turns a host stale when its newest sample ages past the limit, with no new row', async () => {
    const { source, clock, events } = harness([
      { hosts: { changed: [host('kvm-a', T)], gone: [] } },
    ]);
    await source.refreshNow();
    expect(source.inventory()[0]?.status.status).toBe('up');
    clock.now = T + 61_000;
    events.length = 0;
    await source.refreshNow();
    expect(events.map((e) => e.name)).toEqual(['host.status', 'host.poll']);
    expect(source.inventory()[0]?.status).toMatchObject({
      status: 'stale',
      reason: `no sample in the central database since ${new Date(T).toISOString()}`,
    });
    // Said once: the next refresh with nothing new publishes nothing.
    events.length = 0;
    await source.refreshNow();
    expect(events).toEqual([]);
  });

  it('hides a host this console polls, by id or by the same name and address', async () => {
    const { source } = harness(
      [{ hosts: { changed: [host('kvm-a', T), host('kvm-b', T), host('kvm-c', T)], gone: [] } }],
      [
        { id: 'kvm-a', identity: null },
        {
          id: 'some-local-id',
          identity: {
            hostname: 'kvm-b',
            primaryIp: '192.0.2.5',
            cpuCount: 8,
            cpuModel: null,
            memoryTotalBytes: 1,
            kernelRelease: '6.1',
          },
        },
      ],
    );
    await source.refreshNow();
    expect(source.inventory().map((h) => h.id)).toEqual(['kvm-c']);
    expect(source.shows('kvm-a')).toBe(false);
    expect(source.shows('kvm-c')).toBe(true);
  });

  it('keeps what it showed when a refresh fails, and the clock still turns it stale', async () => {
    const events: string[] = [];
    const lines: string[] = [];
    let fail = false;
    let failovers = 0;
    const clock = { now: T };
    const source = new CentralFleetSource({
      reader: {
        get failovers() {
          return failovers;
        },
        refresh: () =>
          fail
            ? Promise.reject(new Error('MySQL 127.0.0.1:4306: connection refused'))
            : Promise.resolve({
                hosts: {
                  changed: [host('kvm-a', T, { hostName: '<img src=x onerror=alert(1)>' })],
                  gone: [],
                },
                vms: { changed: [], gone: [] },
                rejected: [],
                node: failovers > 0 ? 'db2:3306' : 'db1:3306',
              }),
        close: () => {},
      },
      events: { publish: (name) => events.push(name), wants: () => true },
      localHosts: () => [],
      log: (line) => lines.push(line),
      now: () => clock.now,
    });
    await source.refreshNow();
    fail = true;
    clock.now = T + 120_000;
    await source.refreshNow();
    await source.refreshNow();
    expect(source.inventory()).toHaveLength(1);
    expect(source.inventory()[0]).toMatchObject({
      name: '<img src=x onerror=alert(1)>',
      status: { status: 'stale' },
    });
    expect(source.state.error).toMatch(/connection refused/);
    expect(lines.filter((l) => l.includes('connection refused'))).toHaveLength(1);
    // What the status bar is told: failing since the first failure, the last good read.
    expect(source.readStatus()).toEqual({
      node: 'db1:3306',
      lastReadAt: T,
      error: 'MySQL 127.0.0.1:4306: connection refused',
      failingSince: T + 120_000,
      failedOverAt: null,
      rejectedRows: 0,
    });

    // The next read is on another node: reading again, and when it moved.
    fail = false;
    failovers = 1;
    clock.now = T + 130_000;
    await source.refreshNow();
    expect(source.readStatus()).toMatchObject({
      node: 'db2:3306',
      lastReadAt: T + 130_000,
      error: null,
      failingSince: null,
      failedOverAt: T + 130_000,
    });
    expect(lines).toContain('setmov: central database: reading from db2:3306 now');
  });
});
