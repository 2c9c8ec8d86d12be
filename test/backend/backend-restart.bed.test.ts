import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, expect, it } from 'vitest';
import type { HostTestResult, HostView, InventoryHost } from '../../src/shared/model/host-view';
import type { HistoryResult } from '../../src/shared/contract/requests';
import { describeBed } from '../helpers/bed';
import { ok, startBackend, tcpSockets, until, type BackendRun } from './backend-harness';
import { bedSshSettings } from '../helpers/bed-ssh';

describeBed('the backend across a restart', (bed) => {
  const runs: BackendRun[] = [];
  afterAll(async () => {
    await runs.at(-1)?.close();
  });

  it('closes within 3 s, and the next start keeps the hosts and last connect times', async () => {
    const first = await startBackend();
    runs.push(first);
    const sockets = tcpSockets();
    const domain = bed.domains[0];
    if (!domain) throw new Error('the bed has no domain');
    ok<HostView>(
      await first.request('hosts.add', {
        name: 'bed',
        ssh: bedSshSettings(bed),
        pollIntervalSec: 1,
      }),
    );
    // The key this backend's own known_hosts gets, as a user accepts it.
    const tested = ok<HostTestResult>(
      await first.request('hosts.test', { id: await first.idOf('bed') }),
    );
    const fingerprint = tested.unknownHostKey?.fingerprint;
    ok(await first.request('hosts.acceptKey', { id: await first.idOf('bed'), fingerprint }));
    const local = ok<HostView[]>(await first.request('hosts.list')).find((h) => h.ssh === null);
    if (!local) throw new Error('first start added no local host');
    await until('the bed VM on both hosts', async () => {
      const inventory = ok<InventoryHost[]>(await first.request('inventory'));
      const seen = inventory.filter((h) =>
        h.vms.some((vm) => vm.uuid === domain.uuid && vm.figures),
      );
      return seen.length === 2 ? seen : undefined;
    });
    expect(tcpSockets()).toBeGreaterThan(sockets);
    // The bed host's own history has a sample (each saved host has its own history now,
    // so the local host's samples of the same machine do not count for it).
    const bedId = await first.idOf('bed');
    await until('a sample in the bed host history', async () => {
      const stored = ok<HistoryResult>(
        await first.request('history', {
          entity: { kind: 'host', id: bedId },
          metrics: ['cpuPercent'],
          fromMs: Date.now() - 600_000,
          toMs: Date.now(),
          maxPoints: 100,
        }),
      );
      return stored.points.length > 0 ? stored : undefined;
    });

    const started = performance.now();
    await first.stop();
    expect(performance.now() - started).toBeLessThan(3_000);
    expect(tcpSockets()).toBe(sockets);

    // A display connect the history knows of, as if seen before the restart.
    const lct = Date.now() - 3_600_000;
    const db = new Database(join(first.dir, 'data', 'history.db'));
    expect(db.prepare('UPDATE vms SET lct = ? WHERE uuid = ?').run(lct, domain.uuid).changes).toBe(
      1,
    );
    db.close();

    const second = await startBackend(first.dir);
    runs.push(second);
    // The history of a saved host is found by its id before it answers again.
    const history = ok<HistoryResult>(
      await second.request('history', {
        entity: { kind: 'host', id: await second.idOf('bed') },
        metrics: ['cpuPercent'],
        fromMs: Date.now() - 600_000,
        toMs: Date.now(),
        maxPoints: 100,
      }),
    );
    expect(history.points.length).toBeGreaterThan(0);
    const hosts = ok<HostView[]>(await second.request('hosts.list'));
    expect(hosts.map((h) => h.name).sort()).toEqual(['bed', local.name].sort());
    const vm = await until('the VM with its restored last connect', async () => {
      const inventory = ok<InventoryHost[]>(await second.request('inventory'));
      return inventory
        .find((h) => h.name === 'bed')
        ?.vms.find((v) => v.uuid === domain.uuid && v.figures !== null);
    });
    expect(vm.lct).toBe(lct);
  });
});
