import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ExportResult, HistoryResult } from '../../src/shared/contract/requests';
import type { HostDetailEvent, HostView } from '../../src/shared/model/host-view';
import { describeBed } from '../helpers/bed';
import { ok, startBackend, until, type BackendRun } from './backend-harness';
import { bedSshSettings } from '../helpers/bed-ssh';

/**
 * A host is its id, not its hostname nor its name: the bed's sshd saved twice (one
 * machine, one /proc hostname) is two hosts with two histories, a name in Korean with a
 * space works everywhere a name goes, and a rename keeps the history.
 */
describeBed('one identity per host, against the bed', (bed) => {
  let run: BackendRun;
  const hosts: HostView[] = [];
  const KOREAN = '가상 서버 1';
  let startedAt = 0;

  beforeAll(async () => {
    run = await startBackend();
    startedAt = Date.now();
    // The bed's host key, trusted beforehand: this file is not about accepting keys.
    copyFileSync(bed.ssh.knownHostsFile, join(run.dir, 'config', 'known_hosts'));
    for (const name of [KOREAN, 'lab copy']) {
      hosts.push(
        ok<HostView>(
          await run.request('hosts.add', {
            name,
            ssh: bedSshSettings(bed),
            pollIntervalSec: 1,
          }),
        ),
      );
    }
  });
  afterAll(async () => {
    await run?.close();
  });

  const historyOf = async (id: string): Promise<HistoryResult> =>
    ok<HistoryResult>(
      await run.request('history', {
        entity: { kind: 'host', id },
        metrics: ['cpuPercent'],
        fromMs: Date.now() - 600_000,
        toMs: Date.now() + 1000,
        maxPoints: 1000,
      }),
    );

  it('keeps two histories for two saved hosts that report one hostname', async () => {
    const [korean, copy] = hosts as [HostView, HostView];
    expect(korean.id).not.toBe(copy.id);
    for (const host of hosts) {
      await until(`${host.name} up with history`, async () => {
        const list = ok<HostView[]>(await run.request('hosts.list'));
        const up = list.find((h) => h.id === host.id)?.status.status === 'up';
        return up && (await historyOf(host.id)).points.length >= 3 ? true : undefined;
      });
    }
    // Each poll of each host is its own: one history would hold both hosts' samples.
    const samples = (history: HistoryResult) => history.points.reduce((n, p) => n + p.n, 0);
    const koreanSamples = samples(await historyOf(korean.id));
    const copySamples = samples(await historyOf(copy.id));
    const polledFor = (Date.now() - startedAt) / 1000;
    expect(koreanSamples).toBeLessThanOrEqual(polledFor + 2);
    expect(copySamples).toBeLessThanOrEqual(polledFor + 2);
  });

  it('watches, publishes, keeps and exports a host named in Korean with a space', async () => {
    const [korean] = hosts as [HostView];
    const details = run.events
      .filter((e) => e.name === 'host.detail')
      .map((e) => e.payload as HostDetailEvent)
      .filter((d) => d.hostId === korean.id);
    expect(details.length).toBeGreaterThan(0);
    const inventory = ok<{ id: string; name: string; vms: { uuid: string }[] }[]>(
      await run.request('inventory'),
    );
    const listed = inventory.find((h) => h.id === korean.id);
    expect(listed?.name).toBe(KOREAN);
    for (const domain of bed.domains) {
      expect(listed?.vms.some((vm) => vm.uuid === domain.uuid)).toBe(true);
    }
    const toMs = Date.now();
    const exported = ok<ExportResult>(
      await run.request('export', {
        entity: { kind: 'host', id: korean.id },
        fromMs: toMs - 600_000,
        toMs,
        format: 'csv',
      }),
    );
    expect(exported.rows).toBeGreaterThan(0);
    expect(exported.fileName).toMatch(/^가상_서버_1_.*\.csv$/);
  });

  it('keeps the history of a renamed host, and its id', async () => {
    const [korean] = hosts as [HostView];
    const before = (await historyOf(korean.id)).points.length;
    const renamed = ok<HostView>(
      await run.request('hosts.update', { id: korean.id, name: '가상 서버 (이전)' }),
    );
    expect(renamed).toMatchObject({ id: korean.id, name: '가상 서버 (이전)' });
    expect((await historyOf(korean.id)).points.length).toBeGreaterThanOrEqual(before);
    const list = ok<HostView[]>(await run.request('hosts.list'));
    expect(list.filter((h) => h.name === KOREAN)).toEqual([]);
    // Another host may not take a name that is in use.
    expect(
      await run.request('hosts.update', { id: hosts[1]?.id, name: '가상 서버 (이전)' }),
    ).toMatchObject({ error: { code: 'failed' } });
  });

  it('writes one store row per saved host, the hostname a fact they share', async () => {
    await run.stop();
    const db = new Database(join(run.dir, 'data', 'history.db'), { readonly: true });
    try {
      const rows = db
        .prepare('SELECT key, name, label FROM hosts WHERE key IN (?, ?) ORDER BY label')
        .all(hosts[0]?.id, hosts[1]?.id) as { key: string; name: string; label: string }[];
      expect(rows.map((r) => r.label)).toEqual(['lab copy', '가상 서버 (이전)'].sort());
      expect(new Set(rows.map((r) => r.key)).size).toBe(2);
      expect(rows[0]?.name).toBe(rows[1]?.name);
    } finally {
      db.close();
    }
  });
});
