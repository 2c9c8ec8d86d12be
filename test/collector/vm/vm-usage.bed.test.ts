import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { connectLibvirt } from '../../../src/collector/libvirt/connect';
import type { GraphicsEvent } from '../../../src/collector/libvirt/domain-events';
import type { DomainStatsRecord } from '../../../src/collector/libvirt/domain-stats';
import type { LibvirtConnection } from '../../../src/collector/libvirt/libvirt-connection';
import { parseDomainXml } from '../../../src/collector/vm/domain-xml';
import { DisplayTracker, parseVncClientsFromQmp } from '../../../src/collector/vm/display-tracker';
import { vmCountersFromStats, type VmCounters } from '../../../src/collector/vm/vm-counters';
import { vmUsage, type VmUsage } from '../../../src/collector/vm/vm-usage';
import { bedDomain, describeBed } from '../../helpers/bed';
import { rfbConnect } from '../../helpers/rfb-client';
import { waitFor } from '../libvirt/bed-helpers';

interface Reading {
  counters: Map<string, VmCounters>;
  /** CPU time of bed-cpu's QEMU process from its /proc/<pid>/stat (utime + stime), ticks. */
  qemuTicks: number;
  /** The host's `cpu` line of /proc/stat: busy and total ticks over all CPUs. */
  host: { busy: number; total: number };
  /** Wall time of the reading, ms (performance.now()). */
  atMs: number;
  /** How long the stats call took, ms: when in it libvirtd read the counters is not known. */
  callMs: number;
}

const CLK_TCK = 100;

function processTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // Fields 14 and 15 of stat(5), counted after pid and comm: utime and stime.
  return Number(fields[11]) + Number(fields[12]);
}

function hostTicks(): { busy: number; total: number } {
  const line = readFileSync('/proc/stat', 'latin1').split('\n', 1)[0] ?? '';
  const [user, nice, system, idle, iowait, irq, softirq, steal] = line
    .split(/\s+/)
    .slice(1, 9)
    .map(Number);
  const total = [user, nice, system, idle, iowait, irq, softirq, steal].reduce<number>(
    (a, b) => a + (b ?? 0),
    0,
  );
  return { busy: total - (idle ?? 0) - (iowait ?? 0), total };
}

/** One all-domain-stats reading, stamped at the middle of its call, with bed-cpu's process time. */
async function reading(lv: LibvirtConnection, qemuPid: number): Promise<Reading> {
  const ticksBefore = processTicks(qemuPid);
  const before = performance.now();
  const records: DomainStatsRecord[] = await lv.getAllDomainStats();
  const after = performance.now();
  const atMs = (before + after) / 2;
  const qemuTicks = (ticksBefore + processTicks(qemuPid)) / 2;
  return {
    counters: new Map(records.map((r) => [r.domain.name, vmCountersFromStats(r, atMs)])),
    qemuTicks,
    host: hostTicks(),
    atMs,
    callMs: after - before,
  };
}

interface Window {
  seconds: number;
  usage: Map<string, VmUsage>;
  /** bed-cpu's QEMU process CPU over the window, % of one core. */
  qemuPercent: number;
  /**
   * How far the two figures may differ because libvirtd read its counters somewhere inside each
   * call, not at its middle: half of both calls' durations, as % of the window.
   */
  timingSlackPercent: number;
  /** The host's CPUs, % busy over the window (all cores). */
  hostBusyPercent: number;
}

function window(prev: Reading, cur: Reading, hostCpus: number): Window {
  const seconds = (cur.atMs - prev.atMs) / 1000;
  const usage = new Map<string, VmUsage>();
  for (const [name, c] of cur.counters)
    usage.set(name, vmUsage(prev.counters.get(name), c, hostCpus));
  const qemuPercent = (100 * (cur.qemuTicks - prev.qemuTicks)) / CLK_TCK / seconds;
  const timingSlackPercent = (100 * (prev.callMs + cur.callMs)) / 2 / (seconds * 1000);
  const hostBusyPercent =
    (100 * (cur.host.busy - prev.host.busy)) / Math.max(1, cur.host.total - prev.host.total);
  return { seconds, usage, qemuPercent, timingSlackPercent, hostBusyPercent };
}

/** The guest's own last "SETMOV-MEM used=KiB total=KiB" line on its serial console. */
function guestMemoryReport(serialLog: string): { usedKiB: number; totalKiB: number } {
  const lines = readFileSync(serialLog, 'latin1').match(/SETMOV-MEM used=\d+ total=\d+/g);
  const last = /used=(\d+) total=(\d+)/.exec(lines?.at(-1) ?? '');
  if (!last) throw new Error(`${serialLog} has no SETMOV-MEM line`);
  return { usedKiB: Number(last[1]), totalKiB: Number(last[2]) };
}

describeBed('VM usage from the bed’s libvirtd, two readings 3 s apart', (bed) => {
  let lv: LibvirtConnection;
  let hostCpus: number;
  const windows: Window[] = [];

  // On a quiet bed one 3 s window is enough. On a machine shared with other test runs the busy
  // guest can get less than 90 % of a core for a while; up to three windows give it the chance
  // to show it can run flat out, and every window must agree with its QEMU process's own CPU.
  beforeAll(async () => {
    lv = await connectLibvirt({ uri: bed.libvirt.uri });
    hostCpus = (await lv.nodeGetInfo()).cpus;
    const cpuDomain = bedDomain(bed, 'cpu').name;
    const qemuPid = Number(readFileSync(`/run/libvirt/qemu/${cpuDomain}.pid`, 'utf8').trim());
    let prev = await reading(lv, qemuPid);
    for (let i = 0; i < 3; i++) {
      await new Promise((resolve) => setTimeout(resolve, 3_000));
      const cur = await reading(lv, qemuPid);
      windows.push(window(prev, cur, hostCpus));
      prev = cur;
      if ((windows.at(-1)?.usage.get(cpuDomain)?.cpu.guestPercent ?? 0) >= 90) break;
    }
  }, 60_000);

  afterAll(async () => {
    await lv?.close();
  });

  const of = (workload: 'idle' | 'cpu' | 'disk' | 'net', w = windows.at(-1)): VmUsage => {
    const u = w?.usage.get(bedDomain(bed, workload).name);
    if (!u) throw new Error(`no reading of the ${workload} domain`);
    return u;
  };

  it('bed-cpu’s CPU % agrees with its QEMU process’s own CPU time in every window', () => {
    for (const w of windows) {
      const { cpu } = of('cpu', w);
      console.log(
        `bed-cpu over ${w.seconds.toFixed(3)} s: guest ${cpu.guestPercent?.toFixed(2)} %, host ${cpu.hostPercent?.toFixed(2)} %; QEMU process ${w.qemuPercent.toFixed(2)} % of a core (± ${w.timingSlackPercent.toFixed(2)} timing)`,
      );
      expect(w.seconds).toBeGreaterThan(2.9);
      // 1 vCPU: guest % is the process's % of one core, host % that over the host's cores.
      const slack = 2 + w.timingSlackPercent;
      expect(Math.abs(cpu.guestPercent! - Math.min(100, w.qemuPercent))).toBeLessThan(slack);
      expect(Math.abs(cpu.hostPercent! - w.qemuPercent / hostCpus)).toBeLessThan(slack);
    }
  });

  // The figure measures host CPU given to the guest, so it can only reach 90 % when the host
  // has the CPU to give. On a saturated host (other test runs on the same 2 cores) the scheduler
  // caps it, which the agreement test above already checks; then the busy guest must still
  // read as clearly busy, and the log says why the bar was lower.
  it('bed-cpu’s busy loop shows as >= 90 % of its vCPU (>= 75 % on a saturated host)', () => {
    const best = Math.max(...windows.map((w) => of('cpu', w).cpu.guestPercent ?? 0));
    const saturated = windows.every((w) => w.hostBusyPercent >= 97);
    console.log(
      `bed-cpu best window ${best.toFixed(2)} %; host busy ${windows.map((w) => w.hostBusyPercent.toFixed(1)).join(', ')} %${saturated ? ' (saturated: bar lowered to 75 %)' : ''}`,
    );
    expect(best).toBeGreaterThanOrEqual(saturated ? 75 : 90);
  });

  it('bed-idle stays under 20 % of its vCPU', () => {
    const { cpu } = of('idle');
    console.log('bed-idle:', cpu);
    expect(cpu.guestPercent).not.toBeNull();
    expect(cpu.guestPercent).toBeLessThan(20);
  });

  it('bed-disk writes and bed-net sends and receives', () => {
    const disk = of('disk').disk;
    const net = of('net').net;
    console.log(
      'bed-disk:',
      disk.writeBytesPerSec,
      'B/s written;',
      'bed-net:',
      net.rxPacketsPerSec,
      'pkt/s in',
    );
    expect(disk.writeBytesPerSec).toBeGreaterThan(0);
    expect(disk.writeIops).toBeGreaterThan(0);
    expect(net.rxPacketsPerSec).toBeGreaterThan(0);
    expect(net.txPacketsPerSec).toBeGreaterThan(0);
  });

  it('every bed domain reports guest memory, within 10 % of what the guest itself prints', () => {
    for (const domain of bed.domains) {
      const memory = windows.at(-1)?.usage.get(domain.name)?.memory;
      const guest = guestMemoryReport(domain.serialLog);
      console.log(domain.name, memory, 'guest says', guest);
      expect(memory?.guestUsedSource).toBe('usable');
      expect(memory?.guestTotalBytes).toBe(guest.totalKiB * 1024);
      expect(memory?.guestUsedBytes).toBeGreaterThan(guest.usedKiB * 1024 * 0.9);
      expect(memory?.guestUsedBytes).toBeLessThan(guest.usedKiB * 1024 * 1.1);
      expect(memory?.rssBytes).toBeGreaterThan(0);
      expect(memory?.allocatedBytes).toBe(128 * 1024 * 1024);
    }
  });

  it('every bed domain’s XML reads: its UUID, a virtio balloon with a stats period, a VNC port', async () => {
    const domains = await lv.listAllDomains();
    for (const expected of bed.domains) {
      const ref = domains.find((d) => d.name === expected.name);
      expect(ref, expected.name).toBeDefined();
      const d = parseDomainXml(await lv.domainGetXmlDesc(ref!));
      expect(d.uuid).toBe(expected.uuid);
      expect(d.balloon?.model).toBe('virtio');
      expect(d.balloon?.statsPeriodSec).toBeGreaterThan(0);
      expect(d.graphics[0]?.type).toBe('vnc');
      expect(d.graphics[0]?.port).toBeGreaterThanOrEqual(5900);
      expect(d.nics[0]?.target).toBe(expected.tap);
    }
  });
});

describeBed('display tracking on a bed domain’s VNC port', (bed) => {
  let lv: LibvirtConnection;
  const tracker = new DisplayTracker();
  let unsubscribe: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    lv = await connectLibvirt({ uri: bed.libvirt.uri });
  });

  afterAll(async () => {
    await unsubscribe?.();
    await lv?.close();
  });

  it('an RFB handshake sets LCT within 1 s and connectedNow; the disconnect clears it', async () => {
    const idle = bedDomain(bed, 'idle');
    const ref = await lv.lookupDomainByUuid(idle.uuid);
    const vnc = parseDomainXml(await lv.domainGetXmlDesc(ref)).graphics[0];
    if (!vnc?.port) throw new Error(`${idle.name} has no VNC port`);

    // Others' tests may attach to the same display: follow only our own client's port. Events
    // that come before we know it (connect can beat the end of our handshake) are replayed.
    let ourPort = '';
    const early: { event: GraphicsEvent; at: number }[] = [];
    const ourPhases: string[] = [];
    const apply = (event: GraphicsEvent, at: number) => {
      if (event.remote.service !== ourPort) return;
      ourPhases.push(event.phase);
      tracker.onGraphicsEvent(idle.uuid, event, at);
    };
    const sub = await lv.subscribe(
      'graphics',
      (event) => {
        const at = Date.now();
        if (!ourPort) early.push({ event, at });
        else apply(event, at);
      },
      ref,
    );
    unsubscribe = sub.unsubscribe;
    tracker.seedFromMonitor(idle.uuid, [], Date.now());

    const started = Date.now();
    const session = await rfbConnect(vnc.port);
    const handshakeDone = Date.now();
    ourPort = String(session.localPort);
    for (const { event, at } of early) apply(event, at);
    const state = await waitFor(
      'connectedNow within 1 s of the handshake',
      () => {
        const s = tracker.state(idle.uuid);
        return s.connectedNow && s.lct !== null ? s : null;
      },
      1_000,
      5,
    );
    console.log(
      `handshake took ${handshakeDone - started} ms; LCT ${state.lct! - handshakeDone} ms after it ended`,
    );
    expect(state.lct).toBeGreaterThanOrEqual(started);
    expect(state.lct! - handshakeDone).toBeLessThanOrEqual(1_000);
    expect(state.clients.some((c) => c.service === ourPort)).toBe(true);

    // QEMU's own list agrees: this is what seeds a session started while we are attached.
    const attached = parseVncClientsFromQmp(
      await lv.qemuMonitorCommand(ref, '{"execute":"query-vnc"}'),
    );
    expect(attached).toContainEqual({ address: '127.0.0.1', service: ourPort });
    const fresh = new DisplayTracker();
    fresh.seedFromMonitor(idle.uuid, attached, Date.now());
    expect(fresh.state(idle.uuid).connectedNow).toBe(true);

    await waitFor('the initialize event', () => ourPhases.includes('initialize'), 1_000, 5);
    const lctBeforeDisconnect = tracker.state(idle.uuid).lct;
    await session.close();
    await waitFor(
      'the disconnect',
      () => tracker.state(idle.uuid).clients.every((c) => c.service !== ourPort),
      1_000,
      5,
    );
    expect(ourPhases).toEqual(['connect', 'initialize', 'disconnect']);
    expect(tracker.state(idle.uuid)).toMatchObject({
      lct: lctBeforeDisconnect,
      connectedNow: false,
    });
  }, 30_000);
});
