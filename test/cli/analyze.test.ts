import { describe, expect, it } from 'vitest';
import { Store } from '../../src/store/store';
import { makeRandom, makeVmSample, vmUuid } from '../store/sample-factory';
import { tempDir } from '../store/temp-db';
import { runCli } from '../helpers/run-cli';

const MIN = 60_000;

/**
 * A history file: VM 1 with two days of minutes (busy under 10 % of its one vCPU,
 * 256 MiB given, about 100 MiB used, last connected long ago), VM 2 with 20 minutes.
 */
function historyFile(path: string): void {
  const now = Date.now();
  const store = Store.open({ path });
  let seed = 0;
  const rand = () => ((seed = (seed * 16807 + 7) % 2147483647) % 1000) / 1000;
  const samples = [];
  for (let m = 2 * 1440; m > 0; m--) {
    const sample = makeVmSample(1, now - m * MIN, rand);
    sample.cpu.guestPercent = 3 + rand() * 5;
    samples.push({ type: 'vm-sample' as const, sample });
  }
  for (let m = 20; m > 0; m--) {
    samples.push({ type: 'vm-sample' as const, sample: makeVmSample(2, now - m * MIN, rand) });
  }
  for (let i = 0; i < samples.length; i += 500) store.ingest(samples.slice(i, i + 500));
  store.ingest([
    {
      type: 'vm-event',
      uuid: vmUuid(1),
      ts: now - 20 * 86_400_000,
      kind: 'display-connect',
      detail: '10.0.0.5',
    },
    {
      type: 'vm-event',
      uuid: vmUuid(1),
      ts: now - 20 * 86_400_000 + 3_600_000,
      kind: 'display-disconnect',
      detail: null,
    },
  ]);
  while (!store.maintain(200).idle);
  store.close();
}

describe('setmov analyze (a real SQLite history)', () => {
  it('gives one entry per VM by UUID: figures and advice, or "not enough data"', async () => {
    const tmp = tempDir();
    try {
      const db = tmp.file('h.db');
      historyFile(db);
      const run = await runCli(['analyze', '--db', db, '--window', '7d', '--json']);
      expect(run.code).toBe(0);
      const out = JSON.parse(run.out) as { vms: Record<string, Record<string, unknown>> };
      expect(Object.keys(out.vms).sort()).toEqual([vmUuid(1), vmUuid(2)].sort());
      const busy = out.vms[vmUuid(1)] as {
        status: string;
        figures: { historyMs: number; cpuGuestPercent: { p95: number } };
        recommendations: { kind: string }[];
      };
      expect(busy.status).toBe('analysed');
      expect(busy.figures.historyMs).toBeGreaterThan(47 * 3_600_000);
      expect(busy.figures.cpuGuestPercent.p95).toBeGreaterThan(3);
      expect(busy.figures.cpuGuestPercent.p95).toBeLessThan(8.1);
      // No connect in the last 14 days and CPU p95 under 5 %? Only if p95 < 5; the
      // last connect is 20 days old either way, so idle or not is CPU's call.
      const kinds = busy.recommendations.map((r) => r.kind);
      expect(kinds.includes('idle-desktop')).toBe(busy.figures.cpuGuestPercent.p95 < 5);
      const young = out.vms[vmUuid(2)] as { status: string; reason: string };
      expect(young.status).toBe('not-enough-data');
      expect(young.reason).toMatch(/^(19|20) min of history/);

      const text = await runCli(['analyze', '--db', db]);
      expect(text.out).toMatch(/desktop-1 \(.*\) on kvm-host-1/);
      expect(text.out).toMatch(/not enough data: (19|20) min of history/);
      expect((await runCli(['analyze', '--db', db, '--window', 'week'])).code).toBe(2);
      const missing = await runCli(['analyze', '--db', tmp.file('typo.db')]);
      expect(missing.code).toBe(2);
      expect(missing.err).toMatch(/no history at .*typo\.db/);
      expect(text.out).toMatch(/kvm-host-1 \((hot|cold|normal|unknown)\): p95 CPU/);
    } finally {
      tmp.remove();
    }
  });

  it('gives a host what its running VMs are given, none of them with an hour of history', async () => {
    const tmp = tempDir();
    try {
      const db = tmp.file('young.db');
      const now = Date.now();
      const store = Store.open({ path: db });
      const rand = makeRandom(3);
      store.ingest([
        {
          type: 'host-identity',
          host: { name: 'kvm-small', ip: null, cores: 2, memoryBytes: 1024 ** 3 },
        },
      ]);
      // 20 minutes each: 1 + 2 + 1 vCPUs running, and a paused one that is not counted.
      const vcpus = [1, 2, 1, 4];
      for (let m = 20; m > 0; m--)
        store.ingest(
          vcpus.map((n, i) => {
            const sample = makeVmSample(i + 1, now - m * MIN, rand, 'kvm-small');
            sample.vcpus = n;
            if (i === 3) sample.state = 'paused';
            return { type: 'vm-sample' as const, sample };
          }),
        );
      store.close();
      const text = await runCli(['analyze', '--db', db]);
      expect(text.code).toBe(0);
      expect(text.out).toMatch(
        /kvm-small \(unknown\): .*; its 3 running VMs are given 4 vCPUs on 2 CPUs \(2\.00×\), 768\.0 MiB of 1\.0 GiB \(0\.75×\)/,
      );
      expect(text.out).toMatch(/the advice frees 0 vCPUs and adds 0 \(net nothing\)/);
      const json = await runCli(['analyze', '--db', db, '--json']);
      const out = JSON.parse(json.out) as {
        hosts: { allocatedVcpus: number; runningVms: number }[];
      };
      expect(out.hosts[0]).toMatchObject({ allocatedVcpus: 4, runningVms: 3 });
    } finally {
      tmp.remove();
    }
  });
});
