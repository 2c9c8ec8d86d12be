import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { expect, it } from 'vitest';
import { CentralService } from '../../../src/backend/central/central-service';
import { routeExport } from '../../../src/backend/central/central-history-route';
import { exportFile } from '../../../src/backend/history/export-file';
import type { RequestHandler } from '../../../src/shared/contract/requests';
import { vmUuid } from '../../store/sample-factory';
import { readCentralHistories } from '../../../src/backend/central/central-analysis';
import { analyzeStoreInTurns, stealP95 } from '../../../src/backend/analysis/analyze-store';
import { defaultAnalysisSettings } from '../../../src/analysis/vm-analysis';
import { Store } from '../../../src/store/store';
import { readVmHistories } from '../../../src/store/usage-history/vm-histories';
import type { VmHistory } from '../../../src/shared/model/usage-history';
import { vmMetrics, type MetricDef } from '../../../src/store/metrics';
import { ContractError } from '../../../src/shared/contract/reply';
import type { EventName } from '../../../src/shared/contract/events';
import { FileSecretStore } from '../../../src/store/file-secret-store';
import { describeBed } from '../../helpers/bed';
import { sharedMysql } from '../../store/helpers/test-database';
import { useSyncFixture } from '../../store/mysql/sync-fixture';

// The console's own choice of a central database to read the fleet from (its settings'
// "Fleet from the central database"), against the real MariaDB: saved without its
// password, read at once with a read-only account, replaced and forgotten at run time.
describeBed('the central database chosen in the console settings (real MariaDB)', () => {
  const fx = useSyncFixture();
  const reader = `setmov_console_${randomBytes(4).toString('hex')}`;
  const urlOf = (user: string) =>
    `mysql://${user}@${sharedMysql.host}:${sharedMysql.port}/${fx.testDb.name}`;

  const rootTarget = () => ({
    host: sharedMysql.host,
    port: sharedMysql.port,
    user: 'root',
    database: fx.testDb.name,
  });

  function open(fixed?: Parameters<typeof CentralService.open>[0]['fixed']) {
    const published: EventName[] = [];
    const secrets = new FileSecretStore(fx.tmp.file('secrets.json'));
    const configPath = fx.tmp.file('central.json');
    const service = CentralService.open({
      configPath,
      secrets,
      events: { publish: (name) => void published.push(name), wants: () => true },
      localHosts: () => [],
      ...(fixed ? { fixed } : {}),
    });
    return { service, secrets, configPath, published };
  }

  it('reads the fleet with a read-only account once saved, keeps the password out of central.json, and forgets it all on remove', async () => {
    fx.ingestSamples(3, 4);
    const sync = fx.newSync();
    await sync.init();
    await sync.syncOnce();
    await fx.testDb.query(`CREATE USER '${reader}'@'127.0.0.1' IDENTIFIED BY 'read-only-pw'`);
    try {
      await fx.testDb.query(`GRANT SELECT ON \`${fx.testDb.name}\`.* TO '${reader}'@'127.0.0.1'`);
      const { service: opening, secrets, configPath, published } = open();
      const service = await opening;
      try {
        expect(service.current).toBeNull();
        expect(service.view()).toEqual({ target: null, fixed: false, status: null });

        // A wrong password: the test says so, and nothing is saved by it.
        const wrong = await service.test({
          url: urlOf(reader),
          tlsCaFile: null,
          password: 'not-it',
        });
        expect(wrong.steps.map((s) => [s.step, s.result])).toEqual([
          ['config', 'ok'],
          ['connect', 'failed'],
          ['schema', 'skipped'],
        ]);
        expect(wrong.steps[1]?.error).toMatch(/^auth-failed: /);

        const view = await service.set({
          url: urlOf(reader),
          tlsCaFile: null,
          password: 'read-only-pw',
          enabled: true,
          refreshSec: 2,
          staleAfterSec: 120,
        });
        expect(view.target).toEqual({
          url: urlOf(reader),
          tlsCaFile: null,
          hasPassword: true,
          enabled: true,
          refreshSec: 2,
          staleAfterSec: 120,
        });
        expect(view.status).toMatchObject({
          error: null,
          node: `${sharedMysql.host}:${sharedMysql.port}`,
        });
        const inventory = service.current?.source.inventory() ?? [];
        expect(inventory.map((h) => [h.id, h.source, h.vms.length])).toEqual([
          ['kvm-host-1', 'central', 3],
        ]);
        expect(published).toContain('host.poll');
        // A page's graphs ask together: one connection for the history, beside the
        // fleet's own, and none left once the choice is forgotten.
        const connections = async () =>
          Number(
            (
              (await fx.testDb.query(
                `SELECT count(*) AS n FROM information_schema.processlist WHERE user = '${reader}'`,
              )) as { n: number }[]
            )[0]?.n,
          );
        const history = service.current?.history;
        const nowMs = Date.now();
        await Promise.all(
          Array.from({ length: 6 }, () =>
            history?.query({
              entity: { kind: 'host', key: 'kvm-host-1' },
              metrics: ['cpuPercent'],
              from: nowMs - 7_200_000,
              to: nowMs,
              maxPoints: 100,
            }),
          ),
        );
        expect(await connections()).toBe(2);
        // The file holds where, not the password; the secret store holds that.
        const saved = readFileSync(configPath, 'utf8');
        expect(saved).not.toContain('read-only-pw');
        expect(JSON.parse(saved)).toEqual({
          url: urlOf(reader),
          tlsCaFile: null,
          enabled: true,
          refreshSec: 2,
          staleAfterSec: 120,
        });
        const key = `mysql:${reader}@${sharedMysql.host}:${sharedMysql.port}/${fx.testDb.name}`;
        expect(await secrets.get(key)).toBe('read-only-pw');
        // The saved one tests without its password being typed again.
        const saved_ = await service.test(undefined);
        expect(saved_.steps.every((s) => s.result === 'ok')).toBe(true);

        // Kept but not read: no source, the choice stays.
        const idle = await service.set({
          url: urlOf(reader),
          tlsCaFile: null,
          enabled: false,
          refreshSec: 2,
          staleAfterSec: 120,
        });
        expect(service.current).toBeNull();
        expect(idle.target).toMatchObject({ enabled: false, hasPassword: true });
        expect(idle.status).toBeNull();

        // A console started again reads what was saved.
        await service.set({
          url: urlOf(reader),
          tlsCaFile: null,
          enabled: true,
          refreshSec: 2,
          staleAfterSec: 120,
        });
        const again = await CentralService.open({
          configPath,
          secrets,
          events: { publish: () => {}, wants: () => false },
          localHosts: () => [],
        });
        try {
          expect(again.current?.source.inventory().map((h) => h.id)).toEqual(['kvm-host-1']);
        } finally {
          await again.close();
        }

        const removed = await service.remove();
        expect(removed).toEqual({ target: null, fixed: false, status: null });
        await expect.poll(connections).toBe(0);
        expect(service.current).toBeNull();
        expect(await secrets.get(key)).toBeNull();
        expect(JSON.parse(readFileSync(configPath, 'utf8'))).toBeNull();
      } finally {
        await service.close();
      }
    } finally {
      await fx.testDb.query(`DROP USER IF EXISTS '${reader}'@'127.0.0.1'`);
    }
  });

  it('says what is wrong with a database without the schema, and keeps the console going', async () => {
    const { service: opening } = open();
    const service = await opening;
    try {
      const tested = await service.test({ url: urlOf('root'), tlsCaFile: null, password: '' });
      expect(tested.steps.map((s) => [s.step, s.result])).toEqual([
        ['config', 'ok'],
        ['connect', 'ok'],
        ['schema', 'failed'],
      ]);
      expect(tested.steps[2]?.error).toMatch(/^schema-missing: /);
      const view = await service.set({
        url: urlOf('root'),
        tlsCaFile: null,
        password: '',
        enabled: true,
        refreshSec: 2,
        staleAfterSec: 60,
      });
      expect(view.status?.error).toMatch(/no SETMOV tables/);
      expect(service.current?.source.inventory()).toEqual([]);
      // A URL that is none is the form's error, not a saved file.
      await expect(
        service.set({
          url: 'postgres://x',
          tlsCaFile: null,
          enabled: true,
          refreshSec: 2,
          staleAfterSec: 60,
        }),
      ).rejects.toBeInstanceOf(ContractError);
      expect(service.view().target?.url).toBe(urlOf('root'));
    } finally {
      await service.close();
    }
  });

  it('exports a central-only VM and host from t2/t4 as this console exports its own history', async () => {
    fx.ingestSamples(2, 30);
    const sync = fx.newSync();
    await sync.init();
    await sync.syncOnce();
    const { service: opening } = open({
      login: { target: rootTarget(), password: '' },
    });
    const service = await opening;
    try {
      const local: RequestHandler<'export'> = () => {
        throw new Error('not a host of this console');
      };
      const exportOf = routeExport(() => service.current, local);
      const range = { fromMs: fx.t0 - 1, toMs: fx.t0 + 3_600_000, utcOffsetMinutes: 0 };
      for (const format of ['csv', 'json'] as const) {
        for (const entity of [
          { kind: 'vm', uuid: vmUuid(1).toUpperCase() } as const,
          { kind: 'host', id: 'kvm-host-1' } as const,
        ]) {
          const central = await exportOf({ ...range, entity, format });
          // The same samples, the same columns, the same file: read from the other side.
          const own = exportFile(
            fx.store,
            entity.kind === 'vm'
              ? { kind: 'vm', uuid: vmUuid(1), name: vmUuid(1) }
              : { kind: 'host', name: 'kvm-host-1' },
            range.fromMs,
            range.toMs,
            format,
          );
          expect(central.rows).toBe(30);
          expect(central.content).toBe(own.content);
          expect(central.fileName).toBe(own.fileName);
        }
      }
      // A VM this console does not know of, centrally or itself: its own history answers.
      await expect(
        exportOf({ ...range, entity: { kind: 'vm', uuid: vmUuid(99) }, format: 'csv' }),
      ).rejects.toThrow('not a host of this console');
    } finally {
      await service.close();
    }
  });

  it("reads a central-only fleet's minutes for the analysis as this console reads its own, and analyses them", async () => {
    fx.ingestSamples(2, 150);
    const sync = fx.newSync();
    await sync.init();
    await sync.syncOnce();
    const { service: opening } = open({ login: { target: rootTarget(), password: '' } });
    const service = await opening;
    const empty = Store.open({ path: fx.tmp.file('empty.db') });
    try {
      const fleet = service.current;
      if (!fleet) throw new Error('the central database is not read');
      // On a minute: both histories' minutes then start at the same times.
      const from = Math.floor((fx.t0 - 120_000) / 60_000) * 60_000;
      const to = fx.t0 + 900_000;
      const central = await readCentralHistories(fleet, from, to, stealP95);
      const own = readVmHistories(fx.store, from, to, stealP95);
      const byUuid = (list: VmHistory[]) => [...list].sort((a, b) => a.uuid.localeCompare(b.uuid));
      expect(byUuid(central.vms).map((v) => v.uuid)).toEqual(byUuid(own).map((v) => v.uuid));
      const close = (a: number | null, b: number | null) =>
        a === null || b === null ? a === b : Math.abs(a - b) <= 1e-6 * Math.max(1, Math.abs(b));
      const guestCpu = vmMetrics.find((m) => m.name === 'cpuGuestPercent') as MetricDef<never>;
      byUuid(central.vms).forEach((vm, i) => {
        const mine = byUuid(own)[i] as VmHistory;
        // Each minute of the central history is the average of the samples in it.
        const minutes = fx.store.db
          .prepare(
            `SELECT (s.ts / 60000) * 60000 AS ts, avg(s.${guestCpu.column}) AS cpu
             FROM vm_samples s JOIN vms v ON v.id = s.vm_id
             WHERE v.uuid = ? AND s.ts >= ? AND s.ts < ? GROUP BY s.ts / 60000 ORDER BY 1`,
          )
          .all(vm.uuid, from, to) as { ts: number; cpu: number }[];
        expect(vm.points.map((p) => p.ts)).toEqual(minutes.map((m) => m.ts));
        expect(minutes.length).toBeGreaterThanOrEqual(5);
        vm.points.forEach((point, k) => {
          const expected = (minutes[k]?.cpu ?? NaN) / guestCpu.scale;
          expect(close(point.cpuGuestPercent, expected), `${vm.uuid} minute ${k}`).toBe(true);
        });
        expect(close(vm.memAllocatedBytes, mine.memAllocatedBytes)).toBe(true);
        expect([vm.name, vm.host, vm.vcpus]).toEqual([mine.name, mine.host, mine.vcpus]);
        // Only the last connect is kept centrally: the sessions are not known there.
        expect(vm.displaySpans).toBeNull();
      });
      expect(central.hosts.map((h) => [h.name, h.cpuCount, h.vms.length])).toEqual([
        ['kvm-host-1', 8, 2],
      ]);
      expect(central.hosts[0]?.cpuPercent.length).toBeGreaterThanOrEqual(5);

      // A console with no history of its own analyses the central fleet.
      const settings = { ...defaultAnalysisSettings, windowMs: to - from, minHistoryMs: 60_000 };
      const analysis = await analyzeStoreInTurns(empty, to, settings, central);
      expect(analysis.vms.map((vm) => [vm.uuid, vm.status]).sort()).toEqual(
        byUuid(own).map((vm) => [vm.uuid, 'analysed']),
      );
      expect(analysis.hosts.map((h) => h.name)).toEqual(['kvm-host-1']);
    } finally {
      empty.close();
      await service.close();
    }
  });

  it('reads the one given on the command line and refuses to change it', async () => {
    fx.ingestSamples(1, 2);
    const sync = fx.newSync();
    await sync.init();
    await sync.syncOnce();
    const { service: opening, configPath } = open({
      login: { target: rootTarget(), password: '' },
      refreshMs: 5_000,
    });
    const service = await opening;
    try {
      expect(service.view()).toMatchObject({
        fixed: true,
        target: { url: urlOf('root'), refreshSec: 5, staleAfterSec: 60, hasPassword: false },
      });
      expect(service.current?.source.inventory().map((h) => h.id)).toEqual(['kvm-host-1']);
      await expect(service.remove()).rejects.toThrow(/--central/);
      await expect(
        service.set({
          url: urlOf('root'),
          tlsCaFile: null,
          enabled: false,
          refreshSec: 2,
          staleAfterSec: 60,
        }),
      ).rejects.toThrow(/--central/);
      expect(service.current).not.toBeNull();
      expect(() => readFileSync(configPath)).toThrow();
    } finally {
      await service.close();
    }
  });
});
