import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { bedDomain, describeBed } from '../helpers/bed';
import { runCli } from '../helpers/run-cli';

const MiB = 1024 * 1024;
const scratch = mkdtempSync(join(tmpdir(), 'setmov-analysis-bed-'));
const db = join(scratch, 'history.db');
const settingsFile = join(scratch, 'settings.json');

/**
 * The bed's guests are tiny (128 MiB, one or two vCPUs) and the history is minutes, not
 * days: the test shortens the thresholds to that scale (documented in docs/analysis.md).
 * Everything else, the rules and the margins, is the defaults.
 */
writeFileSync(
  settingsFile,
  JSON.stringify({
    minHistoryMs: 9 * 60_000,
    minMemoryBytes: 64 * MiB,
    memoryHeadroomBytes: 16 * MiB,
    memoryStepBytes: 16 * MiB,
    // Ten minutes of history would widen the upper bound 145-fold; a week's widening.
    wideningMinDays: 7,
    idleDays: 8 / 1440,
  }),
);

interface Analysed {
  status: string;
  vcpus: { allocated: number; upper: number };
  memoryBytes: { allocated: number; upper: number } | null;
  figures: { cpuGuestPercent: { p95: number }; memory: { maxBytes: number } | null };
  recommendations: { id: string; kind: string; from?: number; to?: number; reason: string }[];
}

const virsh = (...args: string[]) =>
  execFileSync('virsh', ['-c', 'qemu:///system', ...args], { encoding: 'utf8' });
/** balloon.current as `virsh dommemstat` shows it, KiB. */
const balloonKiB = (name: string) => Number(/^actual (\d+)$/m.exec(virsh('dommemstat', name))?.[1]);
const configKiB = (name: string) =>
  Number(/<currentMemory unit='KiB'>(\d+)</.exec(virsh('dumpxml', '--inactive', name))?.[1]);

describeBed('analysis and apply on the bed (10 minutes of history)', (bed) => {
  const idle = bedDomain(bed, 'idle');
  const cpu = bedDomain(bed, 'cpu');
  const startKiB = { live: 0, config: 0 };

  afterAll(() => {
    // Give bed-idle back what it had, live and for its next boot, for the tests after.
    virsh('setvcpus', idle.name, String(idle.vcpus), '--config');
    if (startKiB.live > 0) {
      virsh('setmem', idle.name, `${startKiB.config}`, '--config');
      virsh('setmem', idle.name, `${startKiB.live}`, '--live');
    }
    rmSync(scratch, { recursive: true, force: true });
  });

  it(
    'advises bed-idle down and leaves bed-cpu alone; a dry run changes nothing; apply resizes and audits',
    { timeout: 20 * 60_000 },
    async () => {
      startKiB.live = balloonKiB(idle.name);
      startKiB.config = configKiB(idle.name);
      expect(startKiB.live).toBeGreaterThan(0);

      // 10.5 minutes of 2 s samples, collected by this test into its own history.
      const collect = await runCli([
        'collect',
        '--uri',
        bed.libvirt.uri,
        '--db',
        db,
        '--interval',
        '2',
        '--count',
        '315',
        '--json',
      ]);
      expect(collect.err).toBe('');
      expect(collect.code, collect.out + collect.err).toBe(0);

      const common = ['--db', db, '--window', '1h', '--settings', settingsFile];
      const analyze = await runCli(['analyze', ...common, '--json']);
      expect(analyze.err).toBe('');
      const { vms } = JSON.parse(analyze.out) as { vms: Record<string, Analysed> };
      const idleVm = vms[idle.uuid];
      const cpuVm = vms[cpu.uuid];
      expect(idleVm?.status).toBe('analysed');
      expect(cpuVm?.status).toBe('analysed');
      if (!idleVm || !cpuVm) return;
      const kinds = (vm: Analysed) => vm.recommendations.map((r) => r.kind);

      expect(kinds(idleVm)).toEqual(
        expect.arrayContaining(['fewer-vcpus', 'less-memory', 'idle-desktop', 'never-connected']),
      );
      expect(idleVm.figures.cpuGuestPercent.p95).toBeLessThan(5);
      const fewer = idleVm.recommendations.find((r) => r.kind === 'fewer-vcpus');
      expect([fewer?.from, fewer?.to]).toEqual([2, 1]);
      const less = idleVm.recommendations.find((r) => r.kind === 'less-memory');
      if (!less?.to || !idleVm.figures.memory) throw new Error('no memory advice for bed-idle');
      expect(less.from).toBe(startKiB.live * 1024);
      expect(less.to).toBeLessThan(startKiB.live * 1024);
      expect(less.to).toBeGreaterThanOrEqual(idleVm.figures.memory.maxBytes + 16 * MiB);

      // bed-cpu spins its vCPU and holds 56 MiB: no reduction of either, and not idle.
      expect(cpuVm.figures.cpuGuestPercent.p95).toBeGreaterThan(80);
      for (const kind of ['fewer-vcpus', 'less-memory', 'idle-desktop'])
        expect(kinds(cpuVm)).not.toContain(kind);

      // A dry run shows the change and makes none: the balloon, the config, the log.
      const dry = await runCli([
        'apply',
        less.id,
        ...common,
        '--uri',
        bed.libvirt.uri,
        '--dry-run',
      ]);
      expect(dry.err).toBe('');
      expect(dry.code, dry.out + dry.err).toBe(0);
      const toMiB = Math.round(less.to / MiB);
      expect(dry.out).toContain(`memory: ${startKiB.live / 1024} MiB → ${toMiB} MiB`);
      expect(dry.out).toContain(`live: balloon the running guest to ${toMiB} MiB`);
      expect(dry.out).toMatch(/dry run: nothing changed/);
      expect(balloonKiB(idle.name)).toBe(startKiB.live);
      expect(configKiB(idle.name)).toBe(startKiB.config);
      const noAudit = await runCli(['audit', '--db', db, '--format', 'json']);
      expect(JSON.parse(noAudit.out)).toEqual([]);

      // Not a terminal and no --yes: refused, nothing changed.
      const unconfirmed = await runCli(['apply', less.id, ...common, '--uri', bed.libvirt.uri]);
      expect(unconfirmed.code, unconfirmed.out + unconfirmed.err).toBe(2);
      expect(unconfirmed.err).toMatch(/pass --yes/);
      expect(balloonKiB(idle.name)).toBe(startKiB.live);

      const applied = await runCli([
        'apply',
        less.id,
        ...common,
        '--uri',
        bed.libvirt.uri,
        '--yes',
      ]);
      expect(applied.err).toBe('');
      expect(applied.code, applied.out + applied.err).toBe(0);
      expect(applied.out).toMatch(/applied \(live\+config\); audit entry \d+/);
      // The balloon deflates within seconds; the config holds the new size at once.
      const deadline = Date.now() + 30_000;
      while (balloonKiB(idle.name) !== less.to / 1024 && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 500));
      expect(balloonKiB(idle.name)).toBe(less.to / 1024);
      expect(configKiB(idle.name)).toBe(less.to / 1024);

      const audit = await runCli(['audit', '--db', db, '--format', 'json', '--vm', idle.uuid]);
      const entries = JSON.parse(audit.out) as Record<string, unknown>[];
      expect(entries).toHaveLength(1);
      expect(entries[0]).toMatchObject({
        vmUuid: idle.uuid,
        vmName: idle.name,
        change: 'memory',
        recommendation: less.id,
        before: startKiB.live * 1024,
        after: less.to,
        scope: 'live+config',
        result: 'applied',
        detail: null,
      });
      expect(entries[0]?.actor).toMatch(/^.+@.+$/);

      // Two and a half minutes more at the new size: the paper's Fig. 13 table for
      // bed-idle has a row for each size, smallest first.
      const more = await runCli([
        'collect',
        '--uri',
        bed.libvirt.uri,
        '--db',
        db,
        '--interval',
        '2',
        '--count',
        '75',
        '--json',
      ]);
      expect(more.code, more.out + more.err).toBe(0);
      const table = await runCli([
        'analyze',
        '--db',
        db,
        '--window',
        '1h',
        '--memory-vs-disk',
        idle.uuid,
        '--json',
      ]);
      const { periods } = JSON.parse(table.out) as {
        periods: { allocatedBytes: number; minutes: number }[];
      };
      // The balloon takes a few seconds to get there: a minute caught on the way is a
      // row of its own, between the two.
      const sizes = periods.map((p) => p.allocatedBytes);
      expect(sizes[0]).toBe(less.to);
      expect(sizes.at(-1)).toBe(startKiB.live * 1024);
      expect(sizes.length).toBeLessThanOrEqual(3);
      expect(periods[0]?.minutes).toBeGreaterThanOrEqual(1);
      expect(periods.at(-1)?.minutes).toBeGreaterThanOrEqual(9);
      const text = await runCli([
        'analyze',
        '--db',
        db,
        '--window',
        '1h',
        '--memory-vs-disk',
        idle.name,
      ]);
      expect(text.out).toMatch(/disk by memory size\nmemory +minutes +read avg/);

      // Fewer vCPUs: the config takes it; this guest cannot unplug a vCPU live, and the
      // audit says so (partial) instead of claiming it done.
      const vcpus = await runCli([
        'apply',
        `${idle.uuid}:fewer-vcpus`,
        ...common,
        '--uri',
        bed.libvirt.uri,
        '--yes',
        '--scope',
        'config',
      ]);
      expect(vcpus.err).toBe('');
      expect(vcpus.out).toMatch(/vcpus: 2 vCPUs → 1 vCPU/);
      expect(vcpus.out).toMatch(/applied \(config\)/);
      expect(virsh('vcpucount', idle.name, '--config', '--current').trim()).toBe('1');
      expect(virsh('vcpucount', idle.name, '--live', '--current').trim()).toBe('2');

      // At the new size the advice no longer holds: applying it again is refused, not
      // repeated.
      const again = await runCli(['apply', less.id, ...common, '--uri', bed.libvirt.uri, '--yes']);
      expect(again.code, again.out + again.err).toBe(1);
      expect(again.err).toMatch(/does not recommend .*less-memory now/);
    },
  );
});
