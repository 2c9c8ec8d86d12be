import type { DomainEvent, GraphicsAddress } from '../../../src/collector/libvirt/domain-events';
import type { RemoteErrorFields } from '../../../src/collector/libvirt/errors';
import { STRING_MAX } from '../../../src/collector/libvirt/protocol';
import {
  TypedParamType,
  writeDomain,
  writeTypedParam,
  type DomainRef,
  type TypedParam,
  type TypedParamValue,
} from '../../../src/collector/libvirt/remote-types';
import { XdrWriter } from '../../../src/collector/libvirt/xdr-writer';

/**
 * The daemon's side of the replies and messages the client decodes, written from decoded
 * values: decoding what these write must give those values back. Where a decoded value no
 * longer says which wire form it came from (a number read from an int, a hyper or a double;
 * a name for an unknown code), the one chosen decodes to the same value.
 */

/** A domain's stats as decoded, plainly: each field once, in wire order. */
export interface PlainStatsRecord {
  domain: DomainRef;
  params: [string, TypedParamValue][];
}

const INT_MIN = -0x80000000;
const INT_MAX = 0x7fffffff;
const UINT_MAX = 0xffffffff;

function typeOf(value: TypedParamValue): TypedParam['type'] {
  switch (typeof value) {
    case 'boolean':
      return TypedParamType.Boolean;
    case 'string':
      return TypedParamType.String;
    case 'bigint':
      return value < 0n ? TypedParamType.Llong : TypedParamType.Ullong;
    default:
      if (!Number.isSafeInteger(value) || Object.is(value, -0)) return TypedParamType.Double;
      if (value >= INT_MIN && value <= INT_MAX) return TypedParamType.Int;
      if (value >= 0 && value <= UINT_MAX) return TypedParamType.Uint;
      return value < 0 ? TypedParamType.Llong : TypedParamType.Ullong;
  }
}

export function writeStatsRecords(records: readonly PlainStatsRecord[]): Buffer {
  const w = new XdrWriter();
  w.uint(records.length);
  for (const { domain, params } of records) {
    writeDomain(w, domain);
    w.uint(params.length);
    for (const [field, value] of params) writeTypedParam(w, { field, type: typeOf(value), value });
  }
  return w.bytes();
}

const FAMILIES = ['ipv4', 'ipv6', 'unix'];

function writeAddress(w: XdrWriter, address: GraphicsAddress): void {
  const code = FAMILIES.indexOf(address.family);
  w.int(code < 0 ? FAMILIES.length : code);
  w.string(address.node, STRING_MAX).string(address.service, STRING_MAX);
}

/** A remote_domain_event_callback_*_msg body. */
export function writeDomainEvent(event: DomainEvent): Buffer {
  const w = new XdrWriter().int(event.callbackId);
  writeDomain(w, event.domain);
  switch (event.kind) {
    case 'lifecycle':
      w.int(event.eventCode).int(event.detail);
      break;
    case 'reboot':
      break;
    case 'graphics':
      w.int(event.phaseCode);
      writeAddress(w, event.local);
      writeAddress(w, event.remote);
      w.string(event.authScheme, STRING_MAX);
      w.array(event.subject, 20, (ww, s) =>
        ww.string(s.type, STRING_MAX).string(s.name, STRING_MAX),
      );
      break;
    case 'balloon-change':
      w.uhyper(event.actualKiB);
      break;
    case 'device-removed':
      w.string(event.devAlias, STRING_MAX);
      break;
  }
  return w.bytes();
}

/** remote_error, without the dom and net members the client reads past. */
export function writeRemoteError(e: RemoteErrorFields): Buffer {
  const str = (ww: XdrWriter, s: string) => ww.string(s, STRING_MAX);
  return new XdrWriter()
    .int(e.code)
    .int(e.domain)
    .optional(e.message, str)
    .int(e.level)
    .bool(false)
    .optional(e.str1, str)
    .optional(e.str2, str)
    .optional(e.str3, str)
    .int(e.int1)
    .int(e.int2)
    .bool(false)
    .bytes();
}
