import type { VmDiskUsage, VmNicUsage, VmSample } from '../../shared/model/samples';
import { counterDelta, perSecond, sumRates } from '../rates/counter-delta';
import type { VmBlockCounters, VmCounters, VmNetCounters } from './vm-counters';

/** Which balloon field guest used memory was computed from. */
export type GuestUsedSource = 'usable' | 'unused' | null;

export interface VmUsage {
  cpu: VmSample['cpu'];
  memory: Required<VmSample['memory']> & {
    /**
     * 'usable': available − usable, the guest's MemTotal − MemAvailable (what `free` says);
     * 'unused': available − unused, page cache counted as used (guests without usable);
     * null: the guest reports nothing.
     */
    guestUsedSource: GuestUsedSource;
  };
  disk: Required<VmSample['disk']>;
  net: Required<VmSample['net']>;
}

const KIB = 1024;

/** Δ of a counter present in both readings, null when either lacks it or it went backwards. */
function delta(prev: number | null | undefined, cur: number | null): number | null {
  return prev === null || prev === undefined || cur === null ? null : counterDelta(prev, cur);
}

function rate(prev: number | null | undefined, cur: number | null, seconds: number): number | null {
  return perSecond(delta(prev, cur), seconds);
}

function kibToBytes(kib: number | null): number | null {
  return kib === null ? null : kib * KIB;
}

function cpuUsage(
  prev: VmCounters | undefined,
  cur: VmCounters,
  seconds: number,
  hostCpuCount: number,
): VmUsage['cpu'] {
  const busyNsPerSec = rate(prev?.cpuTimeNs, cur.cpuTimeNs, seconds);
  if (busyNsPerSec === null) return { hostPercent: null, guestPercent: null };
  const percentOf = (cpus: number | null): number | null =>
    cpus !== null && Number.isInteger(cpus) && cpus > 0
      ? (100 * busyNsPerSec) / (1e9 * cpus)
      : null;
  const guest = percentOf(cur.vcpuCurrent);
  return {
    hostPercent: percentOf(hostCpuCount),
    // QEMU's own threads (I/O, emulation) are in cpu.time too, so a busy guest can pass 100 %.
    guestPercent: guest === null ? null : Math.min(100, Math.max(0, guest)),
  };
}

function memoryUsage(
  prev: VmCounters | undefined,
  cur: VmCounters,
  seconds: number,
): VmUsage['memory'] {
  const available = cur.balloonAvailableKiB;
  let guestUsedKiB: number | null = null;
  let guestUsedSource: GuestUsedSource = null;
  if (available !== null) {
    if (cur.balloonUsableKiB !== null && cur.balloonUsableKiB <= available) {
      guestUsedKiB = available - cur.balloonUsableKiB;
      guestUsedSource = 'usable';
    } else if (cur.balloonUnusedKiB !== null && cur.balloonUnusedKiB <= available) {
      guestUsedKiB = available - cur.balloonUnusedKiB;
      guestUsedSource = 'unused';
    }
  }
  return {
    allocatedBytes: kibToBytes(cur.balloonCurrentKiB),
    // A total without a used figure is still the guest's own report; used without it is not.
    guestTotalBytes: kibToBytes(available),
    guestUsedBytes: kibToBytes(guestUsedKiB),
    rssBytes: kibToBytes(cur.balloonRssKiB),
    // The guest sends its memory stats every stats period, so between two updates these
    // rates read 0; over a minute's rollup they average right.
    swapInBytesPerSec: kibToBytes(rate(prev?.balloonSwapInKiB, cur.balloonSwapInKiB, seconds)),
    majorFaultsPerSec: rate(prev?.balloonMajorFaults, cur.balloonMajorFaults, seconds),
    guestUsedSource,
  };
}

/** Devices are matched by name: a disk hot-plugged since the last reading has no rate yet. */
function byName<T extends { name: string }>(list: readonly T[] | undefined): Map<string, T> {
  return new Map((list ?? []).map((item) => [item.name, item]));
}

function diskUsage(
  prev: VmCounters | undefined,
  cur: VmCounters,
  seconds: number,
): VmUsage['disk'] {
  const before = byName<VmBlockCounters>(prev?.blocks);
  const devices: VmDiskUsage[] = cur.blocks.map((b) => {
    const p = before.get(b.name);
    return {
      device: b.name,
      readBytesPerSec: rate(p?.readBytes, b.readBytes, seconds),
      writeBytesPerSec: rate(p?.writeBytes, b.writeBytes, seconds),
      readIops: rate(p?.readReqs, b.readReqs, seconds),
      writeIops: rate(p?.writeReqs, b.writeReqs, seconds),
    };
  });
  return {
    readBytesPerSec: sumRates(devices.map((d) => d.readBytesPerSec)),
    writeBytesPerSec: sumRates(devices.map((d) => d.writeBytesPerSec)),
    readIops: sumRates(devices.map((d) => d.readIops)),
    writeIops: sumRates(devices.map((d) => d.writeIops)),
    devices,
  };
}

function netUsage(prev: VmCounters | undefined, cur: VmCounters, seconds: number): VmUsage['net'] {
  const before = byName<VmNetCounters>(prev?.nets);
  const interfaces: VmNicUsage[] = cur.nets.map((n) => {
    const p = before.get(n.name);
    return {
      interface: n.name,
      rxBytesPerSec: rate(p?.rxBytes, n.rxBytes, seconds),
      txBytesPerSec: rate(p?.txBytes, n.txBytes, seconds),
      rxPacketsPerSec: rate(p?.rxPackets, n.rxPackets, seconds),
      txPacketsPerSec: rate(p?.txPackets, n.txPackets, seconds),
    };
  });
  return {
    rxBytesPerSec: sumRates(interfaces.map((i) => i.rxBytesPerSec)),
    txBytesPerSec: sumRates(interfaces.map((i) => i.txBytesPerSec)),
    rxPacketsPerSec: sumRates(interfaces.map((i) => i.rxPacketsPerSec)),
    txPacketsPerSec: sumRates(interfaces.map((i) => i.txPacketsPerSec)),
    interfaces,
  };
}

/**
 * A VM's usage over the interval between two readings of its counters (docs/metrics.md,
 * "Virtual machines"). Every rate is null without a previous reading of the same domain, when
 * no time passed, when the VM restarted in between (new domain id), or when a counter went
 * backwards; never negative.
 * Memory sizes need only the current reading; its swap-in and fault rates need both.
 */
export function vmUsage(
  prev: VmCounters | undefined,
  cur: VmCounters,
  hostCpuCount: number,
): VmUsage {
  const comparable =
    prev !== undefined && prev.uuid === cur.uuid && prev.domainId === cur.domainId
      ? prev
      : undefined;
  const seconds = comparable ? (cur.monotonicMs - comparable.monotonicMs) / 1000 : 0;
  const base = Number.isFinite(seconds) && seconds > 0 ? comparable : undefined;
  return {
    cpu: cpuUsage(base, cur, seconds, hostCpuCount),
    memory: memoryUsage(base, cur, seconds),
    disk: diskUsage(base, cur, seconds),
    net: netUsage(base, cur, seconds),
  };
}
