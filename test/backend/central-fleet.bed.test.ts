import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { expect, it } from 'vitest';
import { saveHosts } from '../../src/collector/hosts-config/hosts-config';
import type { CentralFleetOptions } from '../../src/backend/backend-options';
import type {
  HostDetailEvent,
  HostPollEvent,
  InventoryHost,
} from '../../src/shared/model/host-view';
import type { HostStatus } from '../../src/shared/model/engine-events';
import type { HistoryResult } from '../../src/shared/contract/requests';
import { describeBed } from '../helpers/bed';
import { sharedMysql } from '../store/helpers/test-database';
import { makeHostSample, makeRandom, makeVmSample } from '../store/sample-factory';
import { useSyncFixture } from '../store/mysql/sync-fixture';
import { ok, startBackend, until } from './backend-harness';
import type { BackendRun } from './backend-harness';

/** A backend folder whose hosts.json is empty: the console watches nothing itself. */
async function watchingNothing(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'setmov-central-'));
  mkdirSync(join(dir, 'config'), { recursive: true });
  await saveHosts(join(dir, 'config', 'hosts.json'), []);
  return dir;
}

const inventoryOf = async (run: BackendRun): Promise<InventoryHost[]> =>
  ok<InventoryHost[]>(await run.request('inventory'));

describeBed('the console reads the fleet from the central database (real MariaDB)', () => {
  const fx = useSyncFixture();
  const reader = `setmov_console_${randomBytes(4).toString('hex')}`;

  /** A read-only account on the test's database for the test, dropped after it. */
  async function readOnlyLogin(): Promise<{
    login: CentralFleetOptions['login'];
    drop(): Promise<void>;
  }> {
    await fx.testDb.query(`CREATE USER '${reader}'@'127.0.0.1' IDENTIFIED BY 'reader-pw'`);
    await fx.testDb.query(`GRANT SELECT ON \`${fx.testDb.name}\`.* TO '${reader}'@'127.0.0.1'`);
    return {
      login: {
        target: {
          host: sharedMysql.host,
          port: sharedMysql.port,
          user: reader,
          database: fx.testDb.name,
        },
        password: 'reader-pw',
        connectTimeoutMs: 3000,
      },
      drop: () => fx.testDb.query(`DROP USER IF EXISTS '${reader}'@'127.0.0.1'`).then(() => {}),
    };
  }

  it('shows every central host and VM with its figures, polls nothing, and turns a silent host stale', async () => {
    fx.ingestSamples(3, 5);
    const sync = fx.newSync({ centralResolutionSec: 10 });
    await sync.init();
    await sync.syncOnce();
    const account = await readOnlyLogin();
    // A fresh console: with a central database it saves no host of its own.
    const run = await startBackend(undefined, {
      central: { login: account.login, refreshMs: 200, staleAfterMs: 60_000 },
    });
    try {
      expect(ok(await run.request('hosts.list'))).toEqual([]);
      const [host, ...others] = await inventoryOf(run);
      expect(others).toEqual([]);
      expect(host).toMatchObject({
        id: 'kvm-host-1',
        source: 'central',
        name: 'kvm-host-1',
        libvirt: null,
        identity: { hostname: 'kvm-host-1', primaryIp: '192.0.2.10', cpuCount: 8 },
      });
      // Its newest sample is an hour old: stale, with the time it was taken, not down.
      expect(host?.status.status).toBe<HostStatus['status']>('stale');
      expect(host?.status.reason).toMatch(/since \d{4}-\d\d-\d\dT/);
      expect(host?.figures?.cpuPercent).toEqual(expect.any(Number));
      expect(host?.figures?.diskBytesPerSec).toEqual(expect.any(Number));
      expect(host?.figures?.diskReadBytesPerSec).toBeNull();
      expect(host?.vms).toHaveLength(3);
      for (const vm of host?.vms ?? []) {
        expect(vm).toMatchObject({ state: 'running', stateCode: 1, gone: false });
        expect(vm.figures?.cpuHostPercent).toEqual(expect.any(Number));
      }
      // Its history comes from t2/t4, bucketed there: the same averages as a direct query.
      const fromMs = fx.t0 - 60_000;
      const toMs = Date.now();
      const hostHistory = ok<HistoryResult>(
        await run.request('history', {
          entity: { kind: 'host', id: 'kvm-host-1' },
          metrics: ['cpuPercent', 'diskReadBytesPerSec'],
          fromMs,
          toMs,
          maxPoints: 1,
        }),
      );
      const [direct] = (await fx.testDb.query(
        "SELECT AVG(cpu) AS cpu, AVG(disk_read_bytes_per_sec) AS rd, COUNT(*) AS n FROM $db.t2_host_usage WHERE host_key = 'kvm-host-1'",
      )) as { cpu: number; rd: number; n: number }[];
      expect(hostHistory.points).toHaveLength(1);
      expect(hostHistory.points[0]?.n).toBe(Number(direct?.n));
      expect(hostHistory.points[0]?.values.cpuPercent?.avg).toBeCloseTo(Number(direct?.cpu), 6);
      expect(hostHistory.points[0]?.values.diskReadBytesPerSec?.avg).toBeCloseTo(
        Number(direct?.rd),
        3,
      );
      const uuid = host?.vms[0]?.uuid as string;
      const vmHistory = ok<HistoryResult>(
        await run.request('history', {
          entity: { kind: 'vm', uuid: uuid.toUpperCase() },
          metrics: ['cpuHostPercent', 'memGuestUsedBytes'],
          fromMs,
          toMs,
          maxPoints: 100,
        }),
      );
      expect(vmHistory.points.length).toBeGreaterThan(0);
      expect(vmHistory.points.every((p) => p.ts >= fromMs && p.ts < toMs)).toBe(true);
      expect(vmHistory.points.reduce((n, p) => n + p.n, 0)).toBeGreaterThan(0);

      // Nothing is polled: no sample is taken by this console.
      const status = ok<{ samplesPerSec: number }>(await run.request('app.status'));
      expect(status.samplesPerSec).toBe(0);

      // A fresh sample reaches the central database: the host is up again, on its own.
      const rand = makeRandom(7);
      const nowMs = Date.now();
      fx.store.ingest([
        { type: 'host-sample', sample: makeHostSample(nowMs, rand) },
        { type: 'vm-sample', sample: makeVmSample(0, nowMs, rand) },
      ]);
      await sync.syncOnce();
      const poll = await until('a host.poll with the fresh figures', async () => {
        const found = run.events.find(
          (e) => e.name === 'host.poll' && (e.payload as HostPollEvent).figures?.ts === nowMs,
        );
        return found?.payload as HostPollEvent | undefined;
      });
      expect(poll).toMatchObject({ hostId: 'kvm-host-1', status: { status: 'up' } });
      expect(poll.vms.running).toBe(3);
      expect(run.events).toContainEqual({
        name: 'host.status',
        payload: { hostId: 'kvm-host-1', status: expect.objectContaining({ status: 'up' }) },
      });
      // The VM's new figures reach a page that watches the host, as a polled host's do.
      const detail = await until('a host.detail with the VM sampled now', async () =>
        run.events.find(
          (e) =>
            e.name === 'host.detail' &&
            (e.payload as HostDetailEvent).vms.some((v) => v.figures.ts === nowMs),
        ),
      );
      expect((detail.payload as HostDetailEvent).hostId).toBe('kvm-host-1');
    } finally {
      await run.close();
      await account.drop();
    }
  });

  it('a host this console polls itself is shown once, from its own polls', async () => {
    fx.ingestSamples(1, 2);
    const sync = fx.newSync({ centralResolutionSec: 10 });
    await sync.init();
    await sync.syncOnce();
    const account = await readOnlyLogin();
    const dir = await watchingNothing();
    // The same id as the agent writes under: the console's own copy of that host.
    await saveHosts(join(dir, 'config', 'hosts.json'), [
      {
        id: 'kvm-host-1',
        name: 'kvm-host-1',
        ssh: null,
        libvirtUri: 'qemu:///system',
        memoryStatsPeriodSec: 0,
        pollIntervalSec: 60,
      },
    ]);
    const run = await startBackend(dir, {
      central: { login: account.login, refreshMs: 200, staleAfterMs: 60_000 },
    });
    try {
      const hosts = await inventoryOf(run);
      expect(hosts.map((h) => [h.id, h.source])).toEqual([['kvm-host-1', 'local']]);
      expect(
        run.events.some(
          (e) => e.name === 'host.poll' && (e.payload as HostPollEvent).status.status === 'stale',
        ),
      ).toBe(false);
    } finally {
      await run.close();
      await account.drop();
    }
  });

  it('a central database it cannot read leaves the console its own hosts and says why', async () => {
    const run = await startBackend(await watchingNothing(), {
      central: {
        login: {
          target: {
            host: sharedMysql.host,
            port: sharedMysql.port,
            user: 'setmov_nobody_here',
            database: fx.testDb.name,
          },
          password: 'wrong',
          connectTimeoutMs: 3000,
        },
        refreshMs: 200,
      },
    });
    try {
      expect(await inventoryOf(run)).toEqual([]);
      expect(run.logLines.join('\n')).toMatch(/central database: .*(denied|refused)/i);
      // Said once, not at every refresh.
      await new Promise((resolve) => setTimeout(resolve, 700));
      expect(run.logLines.filter((l) => l.includes('central database')).length).toBe(1);
    } finally {
      await run.close();
    }
  });
});
