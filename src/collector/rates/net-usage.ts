import type { NetDevStats } from '../procfs/net-dev';
import { counterDelta, perSecond, sumRates } from './counter-delta';
import { looksPhysical, type PhysicalInterfaceTest } from './physical-interfaces';

/**
 * Bytes on the wire per Ethernet frame that /proc/net/dev does not count:
 * preamble 7 + start-of-frame delimiter 1 + inter-packet gap 12 + frame check sequence 4.
 */
export const ethernetOverheadBytesPerPacket = 24;

export interface NetRates {
  rxBytesPerSec: number | null;
  txBytesPerSec: number | null;
  rxPacketsPerSec: number | null;
  txPacketsPerSec: number | null;
  rxErrorsPerSec: number | null;
  txErrorsPerSec: number | null;
  rxDropsPerSec: number | null;
  txDropsPerSec: number | null;
  /** Both directions, with Ethernet framing: (Δbytes + 24 × Δpackets) × 8 / t. */
  wireBitsPerSec: number | null;
}

/** One interface's rates over the interval; a sample keeps some as NetInterfaceUsage. */
export interface NetInterfaceRates extends NetRates {
  name: string;
  /** Whether it counts in the host totals. */
  physical: boolean;
}

export interface NetUsage extends NetRates {
  /** Every interface, in /proc/net/dev order; totals cover the physical ones only. */
  interfaces: NetInterfaceRates[];
}

/**
 * On-wire bits per second: paper eqs. 5–7, corrected. The paper computes
 * PPS = Δpackets (eq. 5), packet size = Δbytes × 8 / PPS + 12 + 7 + 1 (eq. 6) and
 * BPS = PPS × size (eq. 7); but the gap, preamble and SFD are 12 + 7 + 1 BYTES, not
 * bits, the 4-byte FCS is missing, and nothing divides by t. Multiplied out:
 * (Δbytes + 24 × Δpackets) × 8 / t, which is also defined when no packet passed.
 */
export function wireBitsPerSec(
  deltaBytes: number,
  deltaPackets: number,
  seconds: number,
): number | null {
  return perSecond((deltaBytes + ethernetOverheadBytesPerPacket * deltaPackets) * 8, seconds);
}

function interfaceRates(then: NetDevStats, now: NetDevStats, seconds: number): NetRates {
  const delta = (dir: 'rx' | 'tx', counter: 'bytes' | 'packets' | 'errors' | 'drops') =>
    counterDelta(then[dir][counter], now[dir][counter]);
  const rate = (dir: 'rx' | 'tx', counter: 'errors' | 'drops') =>
    perSecond(delta(dir, counter), seconds);
  const rxBytes = delta('rx', 'bytes');
  const txBytes = delta('tx', 'bytes');
  const rxPackets = delta('rx', 'packets');
  const txPackets = delta('tx', 'packets');
  const wire =
    rxBytes === null || txBytes === null || rxPackets === null || txPackets === null
      ? null
      : wireBitsPerSec(rxBytes + txBytes, rxPackets + txPackets, seconds);
  return {
    rxBytesPerSec: perSecond(rxBytes, seconds),
    txBytesPerSec: perSecond(txBytes, seconds),
    rxPacketsPerSec: perSecond(rxPackets, seconds),
    txPacketsPerSec: perSecond(txPackets, seconds),
    rxErrorsPerSec: rate('rx', 'errors'),
    txErrorsPerSec: rate('tx', 'errors'),
    rxDropsPerSec: rate('rx', 'drops'),
    txDropsPerSec: rate('tx', 'drops'),
    wireBitsPerSec: wire,
  };
}

const noRates: NetRates = {
  rxBytesPerSec: null,
  txBytesPerSec: null,
  rxPacketsPerSec: null,
  txPacketsPerSec: null,
  rxErrorsPerSec: null,
  txErrorsPerSec: null,
  rxDropsPerSec: null,
  txDropsPerSec: null,
  wireBitsPerSec: null,
};

/**
 * Network usage between two /proc/net/dev readings `seconds` apart, per interface
 * (rates of eq. 5 per direction, plus errors, drops and eqs. 6–7 as wireBitsPerSec)
 * and summed over physical interfaces: the paper sums every interface, which counts
 * a VM's traffic on its tap, on the bridge and on the NIC. A new interface, or one
 * whose counter went backwards, has null rates for that interval.
 */
export function netUsage(
  previous: readonly NetDevStats[],
  current: readonly NetDevStats[],
  seconds: number,
  isPhysical: PhysicalInterfaceTest = looksPhysical,
): NetUsage {
  const before = new Map(previous.map((i) => [i.name, i]));
  const interfaces: NetInterfaceRates[] = current.map((now) => {
    const then = before.get(now.name);
    const rates = then ? interfaceRates(then, now, seconds) : noRates;
    return { name: now.name, physical: isPhysical(now.name), ...rates };
  });
  const physical = interfaces.filter((i) => i.physical);
  const total = (pick: (r: NetRates) => number | null): number | null =>
    sumRates(physical.map(pick));
  return {
    rxBytesPerSec: total((r) => r.rxBytesPerSec),
    txBytesPerSec: total((r) => r.txBytesPerSec),
    rxPacketsPerSec: total((r) => r.rxPacketsPerSec),
    txPacketsPerSec: total((r) => r.txPacketsPerSec),
    rxErrorsPerSec: total((r) => r.rxErrorsPerSec),
    txErrorsPerSec: total((r) => r.txErrorsPerSec),
    rxDropsPerSec: total((r) => r.rxDropsPerSec),
    txDropsPerSec: total((r) => r.txDropsPerSec),
    wireBitsPerSec: total((r) => r.wireBitsPerSec),
    interfaces,
  };
}
