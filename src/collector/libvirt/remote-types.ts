import type { RemoteErrorFields } from './errors';
import { STRING_MAX, UUID_BYTES } from './protocol';
import { XdrDecodeError } from './xdr-error';
import type { DecodeCaches } from './decode-caches';
import type { XdrReader } from './xdr-reader';
import type { XdrWriter } from './xdr-writer';

/** remote_nonnull_domain: how the protocol names a domain in calls and replies. */
export interface DomainRef {
  name: string;
  /** Canonical text form, 8-4-4-4-12 lowercase hex. */
  uuid: string;
  /** -1 while the domain is not running. */
  id: number;
}

export function uuidToText(bytes: Uint8Array): string {
  const hex = Buffer.from(bytes).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export function uuidToBytes(uuid: string): Buffer {
  const hex = uuid.replace(/-/g, '');
  if (!/^[0-9a-fA-F]{32}$/.test(hex)) throw new TypeError(`'${uuid}' is not a UUID`);
  return Buffer.from(hex, 'hex');
}

export const readString = (r: XdrReader): string => r.string(STRING_MAX);
export const readOptionalString = (r: XdrReader): string | null => r.optional(readString);

/**
 * remote_nonnull_domain. With a connection's `caches`, its name and UUID text are looked up
 * there (every poll returns the same domains); without, they are decoded afresh (events,
 * errors: rare).
 */
export function readDomain(r: XdrReader, caches?: DecodeCaches): DomainRef {
  if (caches === undefined) {
    const name = r.string(STRING_MAX);
    return { name, uuid: uuidToText(r.opaqueFixed(UUID_BYTES)), id: r.int() };
  }
  const name = r.internedString(STRING_MAX, caches.domainNames);
  // The 16 bytes as a latin1 key: one short string instead of a copy, hex and five slices.
  const uuid = caches.uuidText(r.latin1Fixed(UUID_BYTES));
  const id = r.int();
  return { name, uuid, id };
}

export function writeDomain(w: XdrWriter, dom: DomainRef): void {
  w.string(dom.name, STRING_MAX);
  w.opaqueFixed(uuidToBytes(dom.uuid), UUID_BYTES);
  w.int(dom.id);
}

function skipNetwork(r: XdrReader): void {
  r.string(STRING_MAX);
  r.opaqueFixed(UUID_BYTES);
}

/** remote_error; its unused dom and net members are read past, not kept. */
export function readRemoteError(r: XdrReader): RemoteErrorFields {
  const code = r.int();
  const domain = r.int();
  const message = readOptionalString(r);
  const level = r.int();
  r.optional(readDomain);
  const str1 = readOptionalString(r);
  const str2 = readOptionalString(r);
  const str3 = readOptionalString(r);
  const int1 = r.int();
  const int2 = r.int();
  r.optional(skipNetwork);
  return { code, domain, message, level, str1, str2, str3, int1, int2 };
}

/** virTypedParameterType. */
export const TypedParamType = {
  Int: 1,
  Uint: 2,
  Llong: 3,
  Ullong: 4,
  Double: 5,
  Boolean: 6,
  String: 7,
} as const;

/**
 * A typed parameter's value. 64-bit kinds are a number while exactly representable (below
 * 2^53, i.e. every counter in practice) and a bigint beyond, so no value is ever rounded.
 */
export type TypedParamValue = number | bigint | boolean | string;

export interface TypedParam {
  field: string;
  type: (typeof TypedParamType)[keyof typeof TypedParamType];
  value: TypedParamValue;
}

/** remote_typed_param: a field name and the union remote_typed_param_value. */
export function readTypedParam(r: XdrReader): TypedParam {
  const field = r.string(STRING_MAX);
  const type = r.peekInt();
  return { field, type: type as TypedParam['type'], value: readTypedParamValue(r, field) };
}

/** remote_typed_param_value: the type discriminant, then the value of that type. */
export function readTypedParamValue(r: XdrReader, field: string): TypedParamValue {
  const at = r.offset;
  const type = r.int();
  switch (type) {
    case TypedParamType.Int:
      return r.int();
    case TypedParamType.Uint:
      return r.uint();
    case TypedParamType.Llong:
      return r.hyperValue();
    case TypedParamType.Ullong:
      return r.uhyperValue();
    case TypedParamType.Double:
      return r.double();
    case TypedParamType.Boolean:
      // An int on the wire; libvirt sends 0 or 1 but C treats any non-zero as true.
      return r.int() !== 0;
    case TypedParamType.String:
      return r.string(STRING_MAX);
    default:
      throw new XdrDecodeError(`typed parameter '${field}' has unknown type ${type}`, at);
  }
}

export function writeTypedParam(w: XdrWriter, param: TypedParam): void {
  w.string(param.field, STRING_MAX);
  w.int(param.type);
  const { value } = param;
  switch (param.type) {
    case TypedParamType.Int:
      w.int(Number(value));
      break;
    case TypedParamType.Uint:
      w.uint(Number(value));
      break;
    case TypedParamType.Llong:
      w.hyper(BigInt(value));
      break;
    case TypedParamType.Ullong:
      w.uhyper(BigInt(value));
      break;
    case TypedParamType.Double:
      w.double(Number(value));
      break;
    case TypedParamType.Boolean:
      w.int(value ? 1 : 0);
      break;
    case TypedParamType.String:
      w.string(String(value), STRING_MAX);
      break;
  }
}

/** Smallest encoding of a typed parameter (empty name, a 4-byte value): bounds array counts. */
export const TYPED_PARAM_MIN_BYTES = 12;
/** Smallest encoding of remote_nonnull_domain (empty name, uuid, id). */
export const DOMAIN_MIN_BYTES = 4 + UUID_BYTES + 4;
