import { Limits, STRING_MAX } from './protocol';
import { DOMAIN_MIN_BYTES, readDomain, type DomainRef } from './remote-types';
import type { DecodeCaches } from './decode-caches';
import type { TypedParams } from './typed-params';
import { readTypedParams } from './typed-params-decoder';
import type { XdrReader } from './xdr-reader';

/** virDomainStatsTypes: the groups CONNECT_GET_ALL_DOMAIN_STATS can return. */
export const StatsGroup = {
  state: 1,
  cpu: 2,
  balloon: 4,
  vcpu: 8,
  interface: 16,
  block: 32,
  perf: 64,
  iothread: 128,
  memory: 256,
  dirtyrate: 512,
  vm: 1024,
} as const;

/**
 * The groups the console reads (state, cpu.time, balloon.*, vcpu.current, net.*, block.*).
 * Asking for fewer groups also saves the daemon work: perf, iothread and dirtyrate cost it
 * monitor round trips.
 */
export const CONSOLE_STATS_GROUPS =
  StatsGroup.state |
  StatsGroup.cpu |
  StatsGroup.balloon |
  StatsGroup.vcpu |
  StatsGroup.interface |
  StatsGroup.block;

/** virConnectGetAllDomainStatsFlags. */
export const StatsFlag = {
  active: 1,
  inactive: 2,
  persistent: 4,
  transient: 8,
  running: 16,
  paused: 32,
  shutoff: 64,
  other: 128,
  /** Skip domains whose job lock is held instead of waiting for it. */
  nowait: 536870912,
  backing: 1073741824,
  enforceStats: 2147483648,
} as const;

/** One domain's record: libvirt's own field names (cpu.time, block.0.wr.bytes, ...). */
export interface DomainStatsRecord {
  domain: DomainRef;
  /** Numbers, with 64-bit values of 2^53 and above as bigint (see TypedParamValue). */
  params: TypedParams;
}

/**
 * remote_connect_get_all_domain_stats_ret: an array of remote_domain_stats_record. Each
 * domain's fields are read against its layout in the connection's `caches`.
 */
export function readDomainStatsRecords(r: XdrReader, caches: DecodeCaches): DomainStatsRecord[] {
  return r.array(
    Limits.DOMAIN_LIST_MAX,
    (rr) => {
      const domain = readDomain(rr, caches);
      const expected = caches.layouts.get(domain.uuid);
      const params = readTypedParams(
        rr,
        Limits.CONNECT_GET_ALL_DOMAIN_STATS_MAX,
        STRING_MAX,
        caches.fieldNames,
        expected,
      );
      if (params.layout !== expected) caches.layouts.set(domain.uuid, params.layout);
      return { domain, params };
    },
    DOMAIN_MIN_BYTES + 4,
  );
}
