import type { DomainStatsRecord } from '../libvirt/domain-stats';
import type { TypedParams } from '../libvirt/typed-params';

/** One virtual disk's counters (block.N.*). */
export interface VmBlockCounters {
  /** Target device, e.g. vda (block.N.name). */
  name: string;
  readBytes: number | null;
  writeBytes: number | null;
  readReqs: number | null;
  writeReqs: number | null;
}

/** One virtual NIC's counters (net.N.*), as the guest sees them (rx = received by the guest). */
export interface VmNetCounters {
  /** Host-side device, e.g. vnet3 (net.N.name). */
  name: string;
  rxBytes: number | null;
  txBytes: number | null;
  rxPackets: number | null;
  txPackets: number | null;
  rxErrors: number | null;
  txErrors: number | null;
  rxDrops: number | null;
  txDrops: number | null;
}

/** One domain's raw counters at one moment; null where libvirt sent no such field. */
export interface VmCounters {
  uuid: string;
  name: string;
  /**
   * The hypervisor's id of this run of the domain (-1 while not running): a new id means the
   * VM restarted and its counters started again from zero.
   */
  domainId: number;
  /** virDomainState code from state.state (0 = no state when missing). */
  state: number;
  /** Reason code from state.reason (0 when missing). */
  stateReason: number;
  /** performance.now()-style ms of the reading (caller supplies). */
  monotonicMs: number;
  cpuTimeNs: number | null;
  vcpuCurrent: number | null;
  vcpuMaximum: number | null;
  balloonCurrentKiB: number | null;
  balloonMaximumKiB: number | null;
  /** The guest's MemTotal. */
  balloonAvailableKiB: number | null;
  /** The guest's MemAvailable. */
  balloonUsableKiB: number | null;
  /** The guest's MemFree. */
  balloonUnusedKiB: number | null;
  /** Host memory resident for the VM's process. */
  balloonRssKiB: number | null;
  /** What the guest read back from swap since it booted (its pswpin × page size), KiB. */
  balloonSwapInKiB: number | null;
  /** The guest's major page faults since it booted (pgmajfault): pages read from disk. */
  balloonMajorFaults: number | null;
  /**
   * When QEMU last received the guest's memory stats, s since the epoch (host clock). Without a
   * stats period the guest reports once, at boot, and this stays put: the figures are stale.
   */
  balloonLastUpdateSec: number | null;
  blocks: VmBlockCounters[];
  nets: VmNetCounters[];
}

/** A stats field has a type its meaning does not allow (a daemon bug or a hostile peer). */
export class VmStatsError extends Error {
  constructor(
    readonly domain: string,
    readonly field: string,
    message: string,
  ) {
    super(`domain ${domain}: stats field ${field} ${message}`);
    this.name = 'VmStatsError';
  }
}

/**
 * A reader of one record's fields. Counters are numbers: the wire gives numbers below 2^53
 * (every real counter) and bigint beyond, which is rounded here, since a rate over a poll
 * interval is unaffected by the last few bits of a counter that large.
 */
class Fields {
  private readonly size: number;

  constructor(
    private readonly params: TypedParams,
    private readonly domain: string,
  ) {
    this.size = params.size;
  }

  private has(field: string): boolean {
    return this.params.has(field);
  }

  counter(field: string): number | null {
    const value = this.params.get(field);
    if (value === undefined) return null;
    if (typeof value === 'number') {
      if (!Number.isInteger(value) || value < 0) {
        throw new VmStatsError(this.domain, field, `is not a counter (${value})`);
      }
      return value;
    }
    if (typeof value === 'bigint') {
      if (value < 0n) throw new VmStatsError(this.domain, field, `is negative (${value})`);
      return Number(value);
    }
    throw new VmStatsError(this.domain, field, `is a ${typeof value}, not a number`);
  }

  count(field: string): number | null {
    const value = this.counter(field);
    if (value !== null && value > Number.MAX_SAFE_INTEGER) {
      throw new VmStatsError(this.domain, field, `is out of range (${value})`);
    }
    return value;
  }

  int(field: string, fallback: number): number {
    const value = this.params.get(field);
    if (value === undefined) return fallback;
    if (typeof value === 'number' && Number.isSafeInteger(value)) return value;
    if (typeof value === 'bigint' && value >= -(2n ** 31n) && value < 2n ** 31n) {
      return Number(value);
    }
    throw new VmStatsError(this.domain, field, `is not an integer (${String(value)})`);
  }

  string(field: string): string | null {
    const value = this.params.get(field);
    if (value === undefined) return null;
    if (typeof value !== 'string') {
      throw new VmStatsError(this.domain, field, `is a ${typeof value}, not a string`);
    }
    return value;
  }

  /**
   * The indices of a block.N / net.N list: N < prefix.count, or, without a count, as long as
   * prefix.N.name exists. Bounded by the record's size, so a bogus count cannot spin.
   */
  indices(prefix: string): number[] {
    const limit = this.size;
    const declared = this.count(`${prefix}.count`);
    const out: number[] = [];
    if (declared !== null) {
      for (let i = 0; i < Math.min(declared, limit); i++) out.push(i);
    } else {
      for (let i = 0; i < limit && this.has(`${prefix}.${i}.name`); i++) out.push(i);
    }
    return out;
  }
}

function readBlocks(f: Fields): VmBlockCounters[] {
  const out: VmBlockCounters[] = [];
  const seen = new Set<string>();
  for (const i of f.indices('block')) {
    const p = `block.${i}`;
    const name = f.string(`${p}.name`);
    // Without a name a device cannot be matched across readings (and libvirt always sends one).
    if (name === null) continue;
    // With the backing-chain flag each layer of a disk is listed under the disk's name; only
    // the top layer is the guest's I/O, the others would count it twice.
    if (seen.has(name)) continue;
    seen.add(name);
    out.push({
      name,
      readBytes: f.counter(`${p}.rd.bytes`),
      writeBytes: f.counter(`${p}.wr.bytes`),
      readReqs: f.counter(`${p}.rd.reqs`),
      writeReqs: f.counter(`${p}.wr.reqs`),
    });
  }
  return out;
}

function readNets(f: Fields): VmNetCounters[] {
  const out: VmNetCounters[] = [];
  for (const i of f.indices('net')) {
    const p = `net.${i}`;
    const name = f.string(`${p}.name`);
    if (name === null) continue;
    out.push({
      name,
      rxBytes: f.counter(`${p}.rx.bytes`),
      txBytes: f.counter(`${p}.tx.bytes`),
      rxPackets: f.counter(`${p}.rx.pkts`),
      txPackets: f.counter(`${p}.tx.pkts`),
      rxErrors: f.counter(`${p}.rx.errs`),
      txErrors: f.counter(`${p}.tx.errs`),
      rxDrops: f.counter(`${p}.rx.drop`),
      txDrops: f.counter(`${p}.tx.drop`),
    });
  }
  return out;
}

/**
 * The counters of one all-domain-stats record. Fields libvirt did not send (a shut-off domain,
 * a guest without balloon stats, a group not asked for) are null; a field of the wrong type is
 * a VmStatsError.
 */
export function vmCountersFromStats(record: DomainStatsRecord, monotonicMs: number): VmCounters {
  const f = new Fields(record.params, record.domain.name);
  return {
    uuid: record.domain.uuid,
    name: record.domain.name,
    domainId: record.domain.id,
    state: f.int('state.state', 0),
    stateReason: f.int('state.reason', 0),
    monotonicMs,
    cpuTimeNs: f.counter('cpu.time'),
    vcpuCurrent: f.count('vcpu.current'),
    vcpuMaximum: f.count('vcpu.maximum'),
    balloonCurrentKiB: f.counter('balloon.current'),
    balloonMaximumKiB: f.counter('balloon.maximum'),
    balloonAvailableKiB: f.counter('balloon.available'),
    balloonUsableKiB: f.counter('balloon.usable'),
    balloonUnusedKiB: f.counter('balloon.unused'),
    balloonRssKiB: f.counter('balloon.rss'),
    balloonSwapInKiB: f.counter('balloon.swap_in'),
    balloonMajorFaults: f.counter('balloon.major_fault'),
    balloonLastUpdateSec: f.counter('balloon.last-update'),
    blocks: readBlocks(f),
    nets: readNets(f),
  };
}
