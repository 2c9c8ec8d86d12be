import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { CollectorEngine } from '../../../src/collector/engine/collector-engine';
import type { DetailedVmSample } from '../../../src/shared/model/engine-events';
import type { HostTarget } from '../../../src/collector/engine/host-target';
import { bedDomain, type BedDescription } from '../../helpers/bed';
import {
  defineThrowawayDomain,
  removeThrowawayDomain,
  type ThrowawayDomain,
} from '../../helpers/throwaway-domain';
import { virshAsync } from '../../helpers/virsh';
import { EngineWatch } from './engine-watch';

/** The QEMU process of a running bed domain. */
export function qemuPid(domain: string): number {
  return Number(readFileSync(`/run/libvirt/qemu/${domain}.pid`, 'utf8').trim());
}

/** A tap's packet counters from /proc/net/dev, from the host's side. */
function tapPackets(tap: string): { rx: number; tx: number } {
  for (const line of readFileSync('/proc/net/dev', 'utf8').split('\n')) {
    const at = line.lastIndexOf(':');
    if (at < 0 || line.slice(0, at).trim() !== tap) continue;
    const f = line
      .slice(at + 1)
      .trim()
      .split(/\s+/)
      .map(Number);
    return { rx: f[1] ?? NaN, tx: f[9] ?? NaN };
  }
  throw new Error(`no ${tap} in /proc/net/dev`);
}

/** The last `SETMOV-MEM used=<kB> total=<kB>` the guest printed on its serial console. */
function guestMemoryKiB(serialLog: string): { used: number; total: number } {
  const lines = [...readFileSync(serialLog, 'utf8').matchAll(/SETMOV-MEM used=(\d+) total=(\d+)/g)];
  const last = lines.at(-1);
  if (!last) throw new Error(`${serialLog} has no SETMOV-MEM line`);
  return { used: Number(last[1]), total: Number(last[2]) };
}

/**
 * `pidstat <report> -p PID 1 N`: the Average line's `column` (-u: %CPU of one core; -d:
 * kB_wr/s, from the process's write_bytes, which counts every guest write because the bed's
 * disks are opened with cache='none').
 */
function pidstatAverage(
  report: '-u' | '-d',
  column: string,
  pid: number,
  seconds: number,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn('pidstat', [report, '-p', String(pid), '1', String(seconds)], {
      env: { ...process.env, LC_ALL: 'C' },
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('error', reject);
    child.on('close', () => {
      const lines = out.split('\n');
      const header =
        lines
          .find((l) => l.includes(column))
          ?.trim()
          .split(/\s+/) ?? [];
      const average =
        lines
          .find((l) => l.startsWith('Average:'))
          ?.trim()
          .split(/\s+/) ?? [];
      // The header starts with a time (one field); the Average line with "Average:" (one field).
      const value = Number(average[header.indexOf(column)]);
      if (!Number.isFinite(value)) reject(new Error(`cannot read pidstat's output:\n${out}`));
      else resolve(value);
    });
  });
}

const mean = (values: number[]): number => values.reduce((a, b) => a + b, 0) / values.length;

/**
 * The acceptance of issue 5 for one way of reaching the bed (locally, over SSH): the engine
 * polls at 1 s; over 40 polls its figures are compared with pidstat (-u and -d), the tap's
 * counters and the guests' own memory reports, each read at the moments the engine polled.
 * `stranger` is kept paused beside the bed's guests throughout, as another admin's domain.
 */
export function engineAcceptance(
  bed: BedDescription,
  target: () => HostTarget,
  stranger: ThrowawayDomain,
): void {
  // 40 polls: a disk burst cut by the window's edges weighs a quarter of what it would in
  // 10 (at 20, one CI run on a loaded machine read 5.4 % off for bed-disk's writes).
  const windowPolls = 40;
  let engine: CollectorEngine;
  let watch: EngineWatch;
  const cpuDomain = bedDomain(bed, 'cpu');
  const idleDomain = bedDomain(bed, 'idle');
  const diskDomain = bedDomain(bed, 'disk');
  const netDomain = bedDomain(bed, 'net');
  const window: {
    pollTs: number[];
    tap: { rx: number; tx: number }[];
    samples: DetailedVmSample[][];
    pidstat: Promise<number> | null;
    pidstatDisk: Promise<number> | null;
  } = { pollTs: [], tap: [], samples: [], pidstat: null, pidstatDisk: null };

  beforeAll(async () => {
    defineThrowawayDomain(bed.libvirt.uri, stranger, idleDomain.name);
    await virshAsync(bed.libvirt.uri, 'start', '--paused', stranger.name);
    engine = new CollectorEngine();
    watch = new EngineWatch(engine);
    const diskPid = qemuPid(diskDomain.name);
    const cpuPid = qemuPid(cpuDomain.name);
    let ready = false;
    let current: DetailedVmSample[] = [];
    const done = new Promise<void>((resolve) => {
      engine.on((event) => {
        if (event.type === 'vm-sample') current.push(event.sample);
        if (event.type !== 'poll-complete') return;
        const polled = current;
        current = [];
        if (!ready) {
          ready = bed.domains.every((d) => polled.some((s) => s.uuid === d.uuid));
          if (!ready) return;
          // This poll opens the window: pidstat starts now, on the same 1 s grid.
          window.pidstat = pidstatAverage('-u', '%CPU', cpuPid, windowPolls);
          window.pidstatDisk = pidstatAverage('-d', 'kB_wr/s', diskPid, windowPolls);
        } else {
          window.samples.push(polled);
        }
        window.pollTs.push(event.ts);
        window.tap.push(tapPackets(netDomain.tap));
        if (window.samples.length === windowPolls) resolve();
      });
    });
    engine.addHost({ ...target(), pollIntervalMs: 1000 });
    await done;
  }, 390_000);

  afterAll(async () => {
    await engine?.stop();
    watch?.dispose();
    removeThrowawayDomain(bed.libvirt.uri, stranger);
  });

  const samplesOf = (uuid: string): DetailedVmSample[] =>
    window.samples.map((poll) => {
      const sample = poll.find((s) => s.uuid === uuid);
      if (!sample) throw new Error(`a poll has no sample of ${uuid}`);
      return sample;
    });
  /** Σ rate × interval over the window: what the engine says moved in it. */
  const engineTotal = (uuid: string, rate: (s: DetailedVmSample) => number | null): number =>
    samplesOf(uuid).reduce((sum, s, i) => {
      const seconds = ((window.pollTs[i + 1] ?? 0) - (window.pollTs[i] ?? 0)) / 1000;
      return sum + (rate(s) ?? NaN) * seconds;
    }, 0);

  it('lists every bed domain with its UUID and state, and the host is up', () => {
    const id = target().id;
    expect(engine.status(id)?.status).toBe('up');
    const inventory = engine.inventory(id);
    for (const domain of bed.domains) {
      const vm = inventory.find((v) => v.uuid === domain.uuid);
      expect(vm, domain.name).toBeDefined();
      expect(vm).toMatchObject({ name: domain.name, state: 'running', stateCode: 1, gone: false });
      expect(vm?.vcpus).toBeGreaterThanOrEqual(1);
      expect(vm?.maxMemoryBytes).toBe(128 * 1024 * 1024);
      expect(vm?.disks[0]?.target).toBe('vda');
      expect(vm?.nics[0]?.target).toBe(domain.tap);
      expect(vm?.graphics[0]).toMatchObject({ type: 'vnc' });
      expect(vm?.graphics[0]?.port).toBeGreaterThanOrEqual(5900);
      expect(vm?.persistent).toBe(true);
      expect(vm?.autostart).toBe(false);
    }
    const hostSamples = watch.of('host-sample');
    expect(hostSamples.at(-1)?.sample.vmCount).toBeGreaterThanOrEqual(bed.domains.length);
  });

  it('bed-cpu: guest CPU >= 90 %, host CPU within 2 points of pidstat / cores; bed-idle < 20 %', async () => {
    const pidstat = await (window.pidstat as Promise<number>);
    const cores = cpus().length;
    const cpu = samplesOf(cpuDomain.uuid);
    const hostPercent = mean(cpu.map((s) => s.cpu.hostPercent ?? NaN));
    const guestPercent = mean(cpu.map((s) => s.cpu.guestPercent ?? NaN));
    const idle = mean(samplesOf(idleDomain.uuid).map((s) => s.cpu.guestPercent ?? NaN));
    console.log(
      `bed-cpu host ${hostPercent.toFixed(2)} % vs pidstat ${pidstat} % / ${cores} cores = ${(pidstat / cores).toFixed(2)} %; guest ${guestPercent.toFixed(1)} %; bed-idle guest ${idle.toFixed(1)} %`,
    );
    expect(Math.abs(hostPercent - pidstat / cores)).toBeLessThanOrEqual(2);
    if (pidstat >= 92) {
      expect(guestPercent).toBeGreaterThanOrEqual(90);
    } else {
      // The machine's 2 cores are shared: when other work keeps the busy guest's QEMU below a
      // full core, the guest cannot be at 90 %; its CPU % must then match what QEMU got.
      console.log(`bed-cpu's QEMU got only ${pidstat} % of a core: host contention`);
      expect(Math.abs(guestPercent - pidstat)).toBeLessThanOrEqual(2);
    }
    expect(idle).toBeLessThan(20);
  });

  it("bed-disk: write bytes/s within 5 % of pidstat -d's for its QEMU process over the same 1 s grid", async () => {
    const pidstatBytesPerSec = (await (window.pidstatDisk as Promise<number>)) * 1024;
    const seconds = ((window.pollTs.at(-1) ?? 0) - (window.pollTs[0] ?? 0)) / 1000;
    const engineBytesPerSec =
      engineTotal(diskDomain.uuid, (s) => s.disk.writeBytesPerSec) / seconds;
    console.log(
      `bed-disk writes ${engineBytesPerSec.toFixed(0)} B/s (engine) vs ${pidstatBytesPerSec.toFixed(0)} B/s (pidstat -d)`,
    );
    expect(pidstatBytesPerSec).toBeGreaterThan(100 * 1024);
    expect(
      Math.abs(engineBytesPerSec - pidstatBytesPerSec) / pidstatBytesPerSec,
    ).toBeLessThanOrEqual(0.05);
  });

  it("bed-net: packets/s within 5 % of its tap's counters, rx and tx swapped", () => {
    const rx = engineTotal(netDomain.uuid, (s) => s.net.rxPacketsPerSec);
    const tx = engineTotal(netDomain.uuid, (s) => s.net.txPacketsPerSec);
    const first = window.tap[0] as { rx: number; tx: number };
    const last = window.tap.at(-1) as { rx: number; tx: number };
    const tapTx = last.tx - first.tx;
    const tapRx = last.rx - first.rx;
    console.log(
      `bed-net guest rx ${rx.toFixed(1)} / tap tx ${tapTx}; guest tx ${tx.toFixed(1)} / tap rx ${tapRx}`,
    );
    expect(tapTx).toBeGreaterThan(50);
    expect(Math.abs(rx - tapTx) / tapTx).toBeLessThanOrEqual(0.05);
    expect(Math.abs(tx - tapRx) / tapRx).toBeLessThanOrEqual(0.05);
  });

  it('guest used memory within 10 % of what each guest reports on its serial console', () => {
    for (const domain of bed.domains) {
      const reported = guestMemoryKiB(domain.serialLog);
      const sample = samplesOf(domain.uuid).at(-1) as DetailedVmSample;
      const usedKiB = (sample.memory.guestUsedBytes ?? NaN) / 1024;
      console.log(
        `${domain.name} guest used ${usedKiB} KiB (engine) vs ${reported.used} KiB (guest)`,
      );
      expect(sample.memory.guestUsedSource).toBe('usable');
      expect(Math.abs(usedKiB - reported.used) / reported.used).toBeLessThanOrEqual(0.1);
      expect((sample.memory.guestTotalBytes ?? 0) / 1024).toBe(reported.total);
    }
  });

  it('emits well-formed VM samples: state, vCPUs, lastSeen, display fields', () => {
    const bedUuids = new Set(bed.domains.map((d) => d.uuid));
    const bedSamples = window.samples.flat().filter((s) => bedUuids.has(s.uuid));
    expect(bedSamples).toHaveLength(windowPolls * bed.domains.length);
    for (const sample of bedSamples) {
      expect(sample.kind).toBe('vm');
      expect(sample.state).toBe('running');
      expect(sample.vcpus).toBeGreaterThanOrEqual(1);
      expect(sample.lastSeen).toBe(sample.ts);
      expect(typeof sample.connectedNow).toBe('boolean');
      expect(sample.memory.rssBytes).toBeGreaterThan(0);
    }
    // The stranger is reported as what it is, and nothing else is upset by it.
    const strangers = window.samples.flat().filter((s) => s.uuid === stranger.uuid);
    expect(strangers.length).toBeGreaterThan(0);
    expect(strangers.every((s) => s.state === 'paused')).toBe(true);
    expect(watch.unhandled).toEqual([]);
  });
}
